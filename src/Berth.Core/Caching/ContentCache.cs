using System.Collections.Concurrent;
using Berth.Core.Digests;

namespace Berth.Core.Caching;

/// <summary>
/// Keeps content-addressed values (manifest bytes, blob sizes) in memory. A digest names its bytes forever, so an
/// entry can never be wrong, only absent; this is what makes manifest requests cheap on remote storage without any
/// coordination between instances. Bounded by an approximate byte budget: when it is exceeded the cache starts
/// over, which keeps memory flat at the cost of a few re-reads.
/// </summary>
internal sealed class ContentCache<T>(long byteBudget, Func<T, long> weigh)
    where T : class
{
    private readonly ConcurrentDictionary<Digest, T> _entries = new();
    private long _bytes;

    public bool TryGet(Digest digest, out T value) => _entries.TryGetValue(digest, out value!);

    public void Add(Digest digest, T value)
    {
        var weight = weigh(value) + 128;
        if (weight > byteBudget / 4)
        {
            return;
        }

        if (Interlocked.Add(ref _bytes, weight) > byteBudget)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, weight);
        }

        _entries[digest] = value;
    }
}
