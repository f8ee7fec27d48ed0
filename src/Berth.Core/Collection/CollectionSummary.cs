using Berth.Core.Digests;

namespace Berth.Core.Collection;

/// <summary>What a collection marked and deleted (or, in a dry run, would delete).</summary>
public sealed record CollectionSummary(
    int RepositoriesScanned,
    int BlobsMarked,
    IReadOnlyList<Digest> BlobsEligible,
    long BytesEligible,
    IReadOnlyList<(string Repository, Digest Manifest)> ManifestsEligible,
    IReadOnlyList<(string Repository, Digest Manifest)> ChildrenKept)
{
    /// <summary>Blobs actually deleted or quarantined (none in a dry run).</summary>
    public int BlobsDeleted { get; init; }

    public long BytesDeleted { get; init; }

    /// <summary>Unreferenced blobs kept because they were modified within the grace period when the collection began.</summary>
    public int BlobsWithinGracePeriod { get; init; }

    /// <summary>Eligible blobs and manifests that a push referenced or touched while the collection ran, so were kept.</summary>
    public int KeptByRecheck { get; init; }

    public int ManifestsDeleted { get; init; }

    public int QuarantinePurged { get; init; }
}
