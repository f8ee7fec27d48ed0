using System.Collections.Concurrent;

namespace Berth.Core.Caching;

/// <summary>
/// Entries that live for a fixed time: how Berth caches what another instance sharing the store may change (links,
/// tag lists, the repository list). Staleness is bounded by the time to live; this instance's own writes update or
/// remove entries at once. Bounded in count: past the limit it starts over.
/// </summary>
internal sealed class ExpiringCache<TKey, TValue>(TimeSpan timeToLive, TimeProvider time, int maxEntries = 100_000, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, long ExpiresAt)> _entries = new(comparer);
    private const int BoundCheckInterval = 1024;
    private long _writes;
    private readonly long _ticksToLive = (long)(timeToLive.TotalSeconds * time.TimestampFrequency);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetTimestamp())
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value) => Set(key, value, _ticksToLive);

    /// <summary>An entry with its own time to live instead of the cache's default.</summary>
    public void Set(TKey key, TValue value, TimeSpan timeToLive) => Set(key, value, (long)(timeToLive.TotalSeconds * time.TimestampFrequency));

    private void Set(TKey key, TValue value, long ticksToLive)
    {
        // ConcurrentDictionary.Count takes every lock, so the bound is checked every so many writes, not on each:
        // the cache may overshoot by that many entries.
        if ((Interlocked.Increment(ref _writes) & (BoundCheckInterval - 1)) == 0 && _entries.Count >= maxEntries)
        {
            RemoveWhere(_ => false, dropExpired: true);
            if (_entries.Count >= maxEntries)
            {
                _entries.Clear();
            }
        }

        _entries[key] = (value, time.GetTimestamp() + ticksToLive);
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    public void RemoveWhere(Func<TKey, bool> predicate) => RemoveWhere(predicate, dropExpired: false);

    private void RemoveWhere(Func<TKey, bool> predicate, bool dropExpired)
    {
        var now = time.GetTimestamp();
        foreach (var (key, entry) in _entries)
        {
            if (predicate(key) || dropExpired && entry.ExpiresAt <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
