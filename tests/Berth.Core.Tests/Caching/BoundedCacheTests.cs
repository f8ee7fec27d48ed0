using Berth.Core.Caching;
using Berth.Core.Digests;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Core.Tests.Caching;

public sealed class BoundedCacheTests
{
    [Fact]
    public void An_expiring_cache_stays_near_its_entry_limit()
    {
        // The bound is checked every 1,024 writes (counting entries takes every lock), so it may overshoot by that.
        const int limit = 10;
        const int slack = 1024;
        var cache = new ExpiringCache<int, int>(TimeSpan.FromMinutes(1), new FakeTimeProvider(), limit);

        for (var i = 0; i < 5 * slack; i++)
        {
            cache.Set(i, i);
            Assert.True(cache.TryGet(i, out var value), $"entry {i} was not kept");
            Assert.Equal(i, value);
        }

        Assert.InRange(Enumerable.Range(0, 5 * slack).Count(k => cache.TryGet(k, out _)), 1, limit + slack);
    }

    [Fact]
    public void An_expiring_cache_at_its_limit_drops_expired_entries_before_live_ones()
    {
        var time = new FakeTimeProvider();
        var cache = new ExpiringCache<int, int>(TimeSpan.FromSeconds(1), time, maxEntries: 800);
        for (var i = 0; i < 600; i++)
        {
            cache.Set(i, i, TimeSpan.FromHours(i % 2 == 0 ? 1 : 0.0001));
        }

        time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 600; i < 1024; i++)
        {
            cache.Set(i, i, TimeSpan.FromHours(1));
        }

        Assert.True(cache.TryGet(0, out _), "a live entry was dropped although expired ones made room");
        Assert.True(cache.TryGet(1023, out _));
    }

    [Fact]
    public void An_expiring_cache_uses_its_default_time_to_live_unless_an_entry_has_its_own()
    {
        var time = new FakeTimeProvider();
        var cache = new ExpiringCache<string, string>(TimeSpan.FromSeconds(2), time, comparer: StringComparer.Ordinal);
        cache.Set("default", "d");
        cache.Set("own", "o", TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(cache.TryGet("default", out _));
        Assert.True(cache.TryGet("own", out _));
    }

    [Fact]
    public void An_expiring_cache_removes_exactly_the_keys_a_predicate_selects()
    {
        var cache = new ExpiringCache<string, int>(TimeSpan.FromMinutes(1), new FakeTimeProvider());
        cache.Set("a/1", 1);
        cache.Set("a/2", 2);
        cache.Set("b/1", 3);

        cache.RemoveWhere(k => k.StartsWith("a/", StringComparison.Ordinal));
        cache.Remove("absent");

        Assert.False(cache.TryGet("a/1", out _));
        Assert.False(cache.TryGet("a/2", out _));
        Assert.True(cache.TryGet("b/1", out _));
    }

    [Fact]
    public void A_content_cache_stays_within_its_byte_budget()
    {
        const long budget = 10_000;
        var cache = new ContentCache<byte[]>(budget, b => b.Length);
        var added = new List<Digest>();

        for (var i = 0; i < 200; i++)
        {
            var content = new byte[500];
            BitConverter.TryWriteBytes(content, i);
            var digest = Digest.Compute(DigestAlgorithm.Sha256, content);
            cache.Add(digest, content);
            added.Add(digest);

            Assert.True(cache.TryGet(digest, out _), $"entry {i} was not kept");
            var held = added.Count(d => cache.TryGet(d, out _));
            Assert.InRange(held * (500 + 128), 1, budget);
        }
    }

    [Fact]
    public void A_content_cache_does_not_keep_an_entry_larger_than_a_quarter_of_its_budget()
    {
        var cache = new ContentCache<byte[]>(4_000, b => b.Length);
        var small = new byte[100];
        var large = new byte[1_000];
        large[0] = 1;
        var smallDigest = Digest.Compute(DigestAlgorithm.Sha256, small);
        var largeDigest = Digest.Compute(DigestAlgorithm.Sha256, large);
        cache.Add(smallDigest, small);

        cache.Add(largeDigest, large);

        Assert.False(cache.TryGet(largeDigest, out _));
        Assert.True(cache.TryGet(smallDigest, out _), "a refused large entry must not evict what is there");
    }
}
