using Berth.Core.Digests;

namespace Berth.Core.Retention;

/// <summary>A tag as retention sees it: pushed when its <c>current/link</c> was last written.</summary>
public sealed record TagState(string Name, Digest Digest, DateTimeOffset PushedAt);

/// <summary>
/// A manifest revision as retention sees it. <see cref="UntaggedSince"/> is the later of its last push (its revision
/// link's time) and the last time a tag left it (the <c>_untagged</c> record's time or, without one,
/// <see cref="TagIndexHistory"/>): a manifest that is untagged now has been so at most since then. <see cref="References"/> are the manifests it keeps (an index's children);
/// <see cref="Understood"/> is false for manifests Berth cannot parse, which retention never deletes.
/// </summary>
public sealed record RevisionState(Digest Digest, DateTimeOffset UntaggedSince, IReadOnlyList<Digest> References, Digest? Subject, bool Understood);

/// <summary>What one repository holds, read once at the start of its pass.</summary>
public sealed record RepositorySnapshot(string Repository, IReadOnlyList<TagState> Tags, IReadOnlyDictionary<Digest, RevisionState> Revisions);

/// <summary>One tag (when <see cref="Tag"/> is set) or one untagged manifest that a policy deletes, and why.</summary>
public sealed record RetentionDeletion(string? Tag, Digest Digest, string Reason);
