using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;

namespace Berth.Core.Events;

/// <summary>
/// Something that happened to a repository, raised by the write path (and by reads for pulls) after the change is
/// in storage. Notifications, metrics, garbage-collection bookkeeping and a UI index subscribe to these instead of
/// touching the endpoints. The records are kept together in this file because each is one line.
/// </summary>
public abstract record RegistryEvent(RepositoryName Repository, DateTimeOffset Timestamp)
{
    /// <summary>The request that caused it; set by the sink from <see cref="IRequestContextAccessor"/> when published.</summary>
    public EventOrigin? Origin { get; init; }
}

/// <summary>A blob was committed into <paramref name="Repository"/>; <paramref name="Created"/> is false when its data already existed.</summary>
public sealed record BlobCommitted(RepositoryName Repository, DateTimeOffset Timestamp, Digest Digest, long Size, bool Created) : RegistryEvent(Repository, Timestamp);

public sealed record BlobMounted(RepositoryName Repository, DateTimeOffset Timestamp, Digest Digest, long Size, RepositoryName From) : RegistryEvent(Repository, Timestamp);

/// <summary>A blob's link was removed from the repository (its data stays for garbage collection).</summary>
public sealed record BlobDeleted(RepositoryName Repository, DateTimeOffset Timestamp, Digest Digest) : RegistryEvent(Repository, Timestamp);

/// <summary>
/// A manifest revision was stored. <paramref name="References"/> are the digests it keeps alive (config, layers,
/// index children): what garbage collection must see before it decides anything is unreferenced.
/// </summary>
public sealed record ManifestPushed(
    RepositoryName Repository, DateTimeOffset Timestamp, Digest Digest, string MediaType, long Size, string? Tag, Digest? Subject, IReadOnlyList<Digest> References, bool Created)
    : RegistryEvent(Repository, Timestamp)
{
    /// <summary>The config, layers and children as the manifest describes them (media type and size), for notifications.</summary>
    public IReadOnlyList<Descriptor> Descriptors { get; init; } = [];
}

/// <summary>A tag now points to <paramref name="Digest"/>; <paramref name="Previous"/> is what it pointed to before, if anything.</summary>
public sealed record TagMoved(RepositoryName Repository, DateTimeOffset Timestamp, string Tag, Digest Digest, Digest? Previous) : RegistryEvent(Repository, Timestamp);

public sealed record TagDeleted(RepositoryName Repository, DateTimeOffset Timestamp, string Tag, Digest? Digest) : RegistryEvent(Repository, Timestamp);

public sealed record ManifestDeleted(RepositoryName Repository, DateTimeOffset Timestamp, Digest Digest) : RegistryEvent(Repository, Timestamp);

public sealed record ManifestPulled(RepositoryName Repository, DateTimeOffset Timestamp, Digest Digest, string MediaType, long Size, string? Tag) : RegistryEvent(Repository, Timestamp);

public sealed record BlobPulled(RepositoryName Repository, DateTimeOffset Timestamp, Digest Digest, long Size) : RegistryEvent(Repository, Timestamp);
