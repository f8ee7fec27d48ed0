using Berth.Core.Configuration;

namespace Berth.Core.Retention;

/// <summary>
/// Berth's own <c>retention</c> section (registry:2 has none): policies that delete tags and untagged manifests on a
/// schedule, and tags that may never be moved or deleted. Retention only unlinks; garbage collection frees the blobs.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Runs the schedule; <c>berth retention apply</c> works either way.</summary>
    public bool Enabled { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    public bool DryRun { get; init; }

    /// <summary>First match wins; a repository no policy covers keeps everything.</summary>
    public IReadOnlyList<RetentionPolicy> Policies { get; init; } = [];

    /// <summary>Tags that are never moved to another digest nor deleted, by a client or by retention.</summary>
    public TagPatterns Immutable { get; init; } = TagPatterns.None;

    public RetentionPolicy? PolicyFor(string repository) => Policies.FirstOrDefault(p => p.Repositories.Covers(repository));

    public static RetentionOptions Bind(ConfigSection? retention)
    {
        if (retention is null)
        {
            return new RetentionOptions();
        }

        // A misspelt key (dry_run) would delete for real what the operator meant to preview: refuse it.
        string[] known = ["enabled", "interval", "dryrun", "policies", "immutable"];
        if (retention.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            throw retention.Error(unknown, $"is not a retention key; use {string.Join(", ", known)}");
        }

        var interval = ConfigurationLimits.AtMost(retention, "interval", retention.GetDuration("interval", TimeSpan.FromHours(1)), ConfigurationLimits.LongestInterval);
        if (interval < TimeSpan.FromMinutes(1))
        {
            throw retention.Error("interval", $"'{retention.GetString("interval")}' is too short: use 1m or more");
        }

        return new RetentionOptions
        {
            Enabled = retention.GetBool("enabled", false),
            Interval = interval,
            DryRun = retention.GetBool("dryrun", false),
            Policies = retention.GetSectionList("policies").Select(RetentionPolicy.Bind).ToList(),
            Immutable = TagPatterns.Bind(retention, "immutable"),
        };
    }
}
