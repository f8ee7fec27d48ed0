using Berth.Core.Configuration;

namespace Berth.Core.Retention;

/// <summary>
/// One item of <c>retention.policies</c>: the repositories it covers and what it keeps. A tag is kept when any
/// keeping rule holds (it matches <see cref="KeepTags"/>, is among the <see cref="KeepMostRecent"/> most recently
/// pushed of the others, or was pushed within <see cref="DeleteTagsOlderThan"/>); a rule left out keeps nothing by
/// itself, and a policy with neither count nor age deletes no tags.
/// </summary>
public sealed class RetentionPolicy
{
    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        "repositories", "keeptags", "keepmostrecent", "deletetagsolderthan", "deleteuntaggedafter",
    };

    /// <summary>The YAML path, <c>retention.policies[0]</c>, for log lines and output.</summary>
    public required string Name { get; init; }

    public required RepositoryGlobs Repositories { get; init; }

    public TagPatterns KeepTags { get; init; } = TagPatterns.None;

    public int? KeepMostRecent { get; init; }

    public TimeSpan? DeleteTagsOlderThan { get; init; }

    public TimeSpan? DeleteUntaggedAfter { get; init; }

    public bool DeletesTags => KeepMostRecent is not null || DeleteTagsOlderThan is not null;

    public static RetentionPolicy Bind(ConfigSection section)
    {
        // A misspelt key would silently keep (or delete) what the operator meant otherwise: refuse it.
        if (section.Keys.FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
        {
            throw section.Error(unknown, $"is not a retention policy key; use {string.Join(", ", Keys)}");
        }

        var policy = new RetentionPolicy
        {
            Name = section.Path,
            Repositories = RepositoryGlobs.Bind(section, "repositories"),
            KeepTags = TagPatterns.Bind(section, "keeptags"),
            KeepMostRecent = section.Has("keepmostrecent") ? section.GetInt("keepmostrecent", 0, min: 0) : null,
            DeleteTagsOlderThan = OptionalDuration(section, "deletetagsolderthan"),
            DeleteUntaggedAfter = OptionalDuration(section, "deleteuntaggedafter"),
        };

        if (!policy.DeletesTags && policy.DeleteUntaggedAfter is null)
        {
            throw section.Error("repositories", "the policy deletes nothing: set keepmostrecent, deletetagsolderthan or deleteuntaggedafter");
        }

        return policy;
    }

    private static TimeSpan? OptionalDuration(ConfigSection section, string key)
    {
        if (!section.Has(key))
        {
            return null;
        }

        var value = section.GetDuration(key, TimeSpan.Zero);
        return value > TimeSpan.Zero ? value : throw section.Error(key, $"'{section.GetString(key)}' must be a positive duration such as 72h");
    }
}
