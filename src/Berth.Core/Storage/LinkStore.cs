using System.Collections.Concurrent;
using System.Text;
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

    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, (Digest Digest, long ExpiresAt)> _cache = new(StringComparer.Ordinal);

    public async Task<Digest?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        if (_cache.TryGetValue(path, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Digest;
        }

        var content = await driver.GetContentAsync(path, cancellationToken);

        // Tolerate a trailing newline written by hand or by other tools.
        if (content is null || !Digest.TryParse(Encoding.ASCII.GetString(content).Trim(), out var digest))
        {
            _cache.TryRemove(path, out _);
            return null;
        }

        Remember(path, digest);
        return digest;
    }

    public async Task<bool> PointsToAsync(string path, Digest digest, CancellationToken cancellationToken = default) =>
        await ReadAsync(path, cancellationToken) is { } linked && linked.Equals(digest);

    public async Task WriteAsync(string path, Digest digest, CancellationToken cancellationToken = default)
    {
        _cache.TryRemove(path, out _);
        await driver.PutContentAsync(path, Encoding.ASCII.GetBytes(digest.Value), cancellationToken);
        Remember(path, digest);
    }

    /// <summary>Deletes a link's directory (a tag, a revision, a layer link) and forgets every cached link under it.</summary>
    public async Task<bool> DeleteAsync(string directory, CancellationToken cancellationToken = default)
    {
        Forget(directory);
        var deleted = await driver.DeleteAsync(directory, cancellationToken);
        Forget(directory);
        return deleted;
    }

    private void Remember(string path, Digest digest)
    {
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        _cache[path] = (digest, time.GetTimestamp() + (long)(TimeToLive.TotalSeconds * time.TimestampFrequency));
    }

    private void Forget(string directory)
    {
        var prefix = directory + "/";
        foreach (var key in _cache.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                _cache.TryRemove(key, out _);
            }
        }
    }
}
