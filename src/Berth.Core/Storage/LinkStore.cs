using System.Text;
using Berth.Core.Caching;
using Berth.Core.Digests;

namespace Berth.Core.Storage;

/// <summary>
/// registry:2's link files (the digest as ASCII, no trailing newline), read through a short-lived cache.
/// Every manifest or blob request resolves one or two links, and on remote storage each read is a round trip; the
/// cache makes repeated lookups free while staying correct for several instances sharing one store: an entry lives
/// only <see cref="TimeToLive"/>, this instance's own writes and deletes update it at once, and a missing link is
/// never cached (so a link another instance just wrote is seen on the next request).
/// </summary>
public sealed class LinkStore(IStorageDriver driver, TimeProvider time)
{
    /// <summary>How stale a link may be when another instance changes it (a tag moved or deleted elsewhere).</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(2);

    private readonly ExpiringCache<string, Digest> _cache = new(TimeToLive, time, comparer: StringComparer.Ordinal);

    public async Task<Digest?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGet(path, out var cached))
        {
            return cached;
        }

        var content = await driver.GetContentAsync(path, cancellationToken);

        // Tolerate a trailing newline written by hand or by other tools.
        if (content is null || !Digest.TryParse(Encoding.ASCII.GetString(content).Trim(), out var digest))
        {
            _cache.Remove(path);
            return null;
        }

        _cache.Set(path, digest);
        return digest;
    }

    public async Task<bool> PointsToAsync(string path, Digest digest, CancellationToken cancellationToken = default) =>
        await ReadAsync(path, cancellationToken) is { } linked && linked.Equals(digest);

    public async Task WriteAsync(string path, Digest digest, CancellationToken cancellationToken = default)
    {
        _cache.Remove(path);
        await driver.PutContentAsync(path, Encoding.ASCII.GetBytes(digest.Value), cancellationToken);
        _cache.Set(path, digest);
    }

    /// <summary>Deletes a link's directory (a tag, a revision, a layer link) and forgets every cached link under it.</summary>
    public async Task<bool> DeleteAsync(string directory, CancellationToken cancellationToken = default)
    {
        Forget(directory);
        var deleted = await driver.DeleteAsync(directory, cancellationToken);
        Forget(directory);
        return deleted;
    }

    private void Forget(string directory)
    {
        var prefix = directory + "/";
        _cache.RemoveWhere(key => key.StartsWith(prefix, StringComparison.Ordinal));
    }
}
