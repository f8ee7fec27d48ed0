using Berth.Core.Digests;

namespace Berth.Core.Collection;

/// <summary>What a collection marked and deleted (or, in a dry run, would delete).</summary>
public sealed record CollectionSummary(
    int RepositoriesScanned,
    int BlobsMarked,
    IReadOnlyList<Digest> BlobsEligible,
    long BytesEligible,
    IReadOnlyList<(string Repository, Digest Manifest)> ManifestsEligible,
    IReadOnlyList<(string Repository, Digest Manifest)> ChildrenKept);
