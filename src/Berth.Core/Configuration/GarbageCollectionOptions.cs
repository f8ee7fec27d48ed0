namespace Berth.Core.Configuration;

/// <summary>
/// <c>storage.gc</c>: Berth's online garbage collector (registry:2 has none). Off by default; when on it collects
/// every <see cref="Interval"/> while the registry serves.
/// </summary>
public sealed class GarbageCollectionOptions
{
    public bool Enabled { get; init; }

    /// <summary>Time between the end of one collection and the start of the next; zero runs them back to back.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A blob uploaded, mounted, linked, referenced by a manifest or HEAD-checked within this period before a
    /// collection starts is kept, so a push that checked a blob and uploads its manifest later still finds it.
    /// </summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Whether the configuration names the grace period (the offline command then honours it too).</summary>
    public bool GracePeriodConfigured { get; init; }

    /// <summary>registry:2's <c>--delete-untagged</c>: manifests no tag reaches are deleted too (after the grace period).</summary>
    public bool DeleteUntagged { get; init; }

    public bool DryRun { get; init; }

    /// <summary>How long a collected blob waits in quarantine, from which a push that needs it restores it; zero deletes at once.</summary>
    public TimeSpan Quarantine { get; init; }
}
