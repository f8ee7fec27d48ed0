using System.Text;
using Berth.Core.Caching;
using Berth.Core.Digests;

namespace Berth.Core.Storage;

/// <summary>
/// registry:2's link files (the digest as ASCII, no trailing newline), read through the registry cache. Every
/// manifest or blob request resolves one or two links, and on remote storage each read is a round trip; the cache
/// makes repeated lookups free while staying correct for several instances sharing one store: a link is believed
/// only <see cref="CacheKeys.LinkTimeToLive"/>, this instance's writes and deletes invalidate it at once, and a
/// missing link is never cached (so a link another instance just wrote is seen on the next request).
/// Only <see cref="Writes.RegistryWriter"/> writes or deletes links.
/// </summary>
public sealed class LinkStore(IStorageDriver driver, IRegistryCache cache)
{
    public async Task<Digest?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var key = CacheKeys.Link(path);
        if (cache.TryGetFact<Digest>(key, out var cached))
        {
            return cached;
        }

        var content = await driver.GetContentAsync(path, cancellationToken);

        // Tolerate a trailing newline written by hand or by other tools.
        if (content is null || !Digest.TryParse(Encoding.ASCII.GetString(content).Trim(), out var digest))
        {
            return null;
        }

        cache.SetFact(key, digest, CacheKeys.LinkTimeToLive);
        return digest;
    }

    public async Task<bool> PointsToAsync(string path, Digest digest, CancellationToken cancellationToken = default) =>
        await ReadAsync(path, cancellationToken) is { } linked && linked.Equals(digest);

    internal async Task WriteAsync(string path, Digest digest, CancellationToken cancellationToken = default)
    {
        var key = CacheKeys.Link(path);
        cache.Invalidate(key);
        await driver.PutContentAsync(path, Encoding.ASCII.GetBytes(digest.Value), cancellationToken);
        cache.SetFact(key, digest, CacheKeys.LinkTimeToLive);
    }

    /// <summary>Deletes a link's directory (a tag, a revision, a layer link) and forgets every cached link under it.</summary>
    internal async Task<bool> DeleteAsync(string directory, CancellationToken cancellationToken = default)
    {
        var prefix = CacheKeys.LinkDirectory(directory);
        cache.InvalidatePrefix(prefix);
        var deleted = await driver.DeleteAsync(directory, cancellationToken);
        cache.InvalidatePrefix(prefix);
        return deleted;
    }
}
