using Berth.Core.Caching;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Storage;

namespace Berth.Core.Blobs;

/// <summary>
/// Content-addressed blobs and their links into repositories. A blob is visible in a repository only through its
/// <c>_layers</c> link (or, for manifests, its revision link), exactly as in registry:2.
/// </summary>
public sealed class BlobStore(IStorageDriver driver, LinkStore links, RepositoryCatalog catalog)
{
    // A blob's size never changes; only garbage collection removes data, and a removed blob fails at open.
    private readonly ContentCache<BlobDescriptor> _sizes = new(16 * 1024 * 1024, _ => 64);

    /// <summary>The blob's size when it is linked into the repository and its data exists; otherwise null.</summary>
    public async Task<BlobDescriptor?> StatAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!await IsLinkedAsync(repository, digest, cancellationToken))
        {
            return null;
        }

        return await StatDataAsync(digest, cancellationToken);
    }

    /// <summary>The blob's size when its data exists anywhere in the store, linked or not.</summary>
    public async Task<BlobDescriptor?> StatDataAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (_sizes.TryGet(digest, out var known))
        {
            return known;
        }

        var descriptor = await StatDataInStoreAsync(digest, cancellationToken);
        if (descriptor is not null)
        {
            _sizes.Add(digest, descriptor);
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

    /// <summary>Links an existing blob into a repository; the one place a layer link is written.</summary>
    public async Task LinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        await links.WriteAsync(RegistryPaths.LayerLink(repository, digest), digest, cancellationToken);
        catalog.Remember(repository);
    }

    /// <summary>Removes the repository's link; the data stays for garbage collection, as in registry:2.</summary>
    public async Task<bool> UnlinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!await IsLayerLinkedAsync(repository, digest, cancellationToken))
        {
            return false;
        }

        return await links.DeleteAsync(StoragePath.Parent(RegistryPaths.LayerLink(repository, digest)), cancellationToken);
    }

    private async Task<bool> IsLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await IsLayerLinkedAsync(repository, digest, cancellationToken) ||
        await links.PointsToAsync(RegistryPaths.ManifestRevisionLink(repository, digest), digest, cancellationToken);

    private Task<bool> IsLayerLinkedAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        links.PointsToAsync(RegistryPaths.LayerLink(repository, digest), digest, cancellationToken);
}
