namespace Berth.Core.Collection;

/// <summary>registry:2's <c>garbage-collect</c> flags, and what the online collector adds to them.</summary>
public sealed record CollectionOptions(bool DryRun, bool DeleteUntagged)
{
    /// <summary>
    /// Blobs and untagged manifests modified (written or touched) within this period before the collection began are
    /// kept. Zero is registry:2's behaviour: everything unreferenced when the collection starts goes.
    /// </summary>
    public TimeSpan GracePeriod { get; init; }

    /// <summary>Collected blobs wait this long in quarantine before they are purged; zero deletes at once.</summary>
    public TimeSpan Quarantine { get; init; }
}
