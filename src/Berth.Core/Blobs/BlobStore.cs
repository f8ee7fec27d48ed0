using Berth.Core.Caching;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Blobs;

/// <summary>
/// Reads content-addressed blobs on behalf of a repository. A blob is visible in a repository only through its
/// <c>_layers</c> link (or, for manifests, its revision link), exactly as in registry:2. Writes go through
/// <see cref="Writes.RegistryWriter"/>.
/// </summary>
public sealed class BlobStore(IStorageDriver driver, LinkStore links, IRegistryCache cache)
{
    /// <summary>The blob's size when it is linked into the repository and its data exists; otherwise null.</summary>
    public async Task<BlobDescriptor?> StatAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!await IsLinkedAsync(repository, digest, cancellationToken))
        {
            return null;
        }

        return await StatDataAsync(digest, cancellationToken);
    }

    /// <summary>
    /// As <see cref="StatAsync"/>, but the data is looked up in the store, not the cache: for decisions that must not
    /// rest on a stale fact (accepting a manifest that references the blob, mounting it instead of an upload).
    /// </summary>
    public async Task<BlobDescriptor?> StatInStoreAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!await IsLinkedAsync(repository, digest, cancellationToken))
        {
            return null;
        }

        return await StatDataInStoreAsync(digest, cancellationToken);
    }

    /// <summary>The blob's size when its data exists anywhere in the store, linked or not; may be a cached fact.</summary>
    public async Task<BlobDescriptor?> StatDataAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var key = CacheKeys.Blob(digest);
        if (cache.TryGetFact<BlobDescriptor>(key, out var known))
        {
            return known;
        }

        var descriptor = await StatDataInStoreAsync(digest, cancellationToken);
        if (descriptor is not null)
        {
            cache.SetFact(key, descriptor, CacheKeys.BlobTimeToLive);
        }

        return descriptor;
    }

    /// <summary>
    /// The blob's size as the store says it now, bypassing the cache: for decisions that skip writing data because
    /// it exists, which must never rest on a fact that may have gone stale.
    /// </summary>
    public async Task<BlobDescriptor?> StatDataInStoreAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        var entry = await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken);
        return entry is { IsDirectory: false } ? new BlobDescriptor(digest, entry.Size) : null;
    }

    public Task<Stream?> OpenReadAsync(Digest digest, CancellationToken cancellationToken = default) =>
        driver.OpenReadAsync(RegistryPaths.BlobData(digest), cancellationToken);

    public Task<Uri?> GetRedirectUrlAsync(Digest digest, CancellationToken cancellationToken = default) =>
        driver.GetRedirectUrlAsync(RegistryPaths.BlobData(digest), cancellationToken);

    public Task<bool> IsLayerLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        links.PointsToAsync(RegistryPaths.LayerLink(repository, digest), digest, cancellationToken);

    /// <summary>Whether the repository links the digest, as a layer or as a manifest revision (its data may be gone).</summary>
    public async Task<bool> IsLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        await IsLayerLinkedAsync(repository, digest, cancellationToken) ||
        await links.PointsToAsync(RegistryPaths.ManifestRevisionLink(repository, digest), digest, cancellationToken);
}
