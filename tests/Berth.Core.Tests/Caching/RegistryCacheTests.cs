using Berth.Core.Caching;
using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Core.Tests.Caching;

public sealed class RegistryCacheTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RegistryCache _cache;

    public RegistryCacheTests() => _cache = new RegistryCache(_time);

    [Fact]
    public void Content_by_digest_is_kept_however_much_time_passes()
    {
        var manifest = Manifest("{\"schemaVersion\":2}");
        _cache.SetContent(manifest);

        _time.Advance(TimeSpan.FromDays(30));

        Assert.True(_cache.TryGetContent(manifest.Digest, out var cached));
        Assert.Same(manifest, cached);
    }

    [Fact]
    public void Content_of_another_digest_is_not_found()
    {
        _cache.SetContent(Manifest("a"));

        Assert.False(_cache.TryGetContent(Manifest("b").Digest, out _));
    }

    [Fact]
    public void A_fact_is_believed_until_its_time_to_live_and_not_after()
    {
        var digest = Digest.Compute(DigestAlgorithm.Sha256, "x"u8);
        _cache.SetFact("link:/a", digest, TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.True(_cache.TryGetFact<Digest>("link:/a", out var cached));
        Assert.Equal(digest, cached);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(_cache.TryGetFact<Digest>("link:/a", out _));
    }

    [Fact]
    public void Each_fact_lives_its_own_time_to_live()
    {
        _cache.SetFact(CacheKeys.Link("/short"), "short", CacheKeys.LinkTimeToLive);
        _cache.SetFact(CacheKeys.Catalog, "long", CacheKeys.CatalogTimeToLive);

        _time.Advance(CacheKeys.LinkTimeToLive);

        Assert.False(_cache.TryGetFact<string>(CacheKeys.Link("/short"), out _));
        Assert.True(_cache.TryGetFact<string>(CacheKeys.Catalog, out _));

        _time.Advance(CacheKeys.CatalogTimeToLive - CacheKeys.LinkTimeToLive);
        Assert.False(_cache.TryGetFact<string>(CacheKeys.Catalog, out _));
    }

    [Fact]
    public void Setting_a_fact_again_restarts_its_time_to_live()
    {
        _cache.SetFact("k", "old", TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1.5));
        _cache.SetFact("k", "new", TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1.5));

        Assert.True(_cache.TryGetFact<string>("k", out var value));
        Assert.Equal("new", value);
    }

    [Fact]
    public void A_fact_asked_for_as_another_type_is_not_found()
    {
        _cache.SetFact("k", "text", TimeSpan.FromSeconds(2));

        Assert.False(_cache.TryGetFact<Digest>("k", out _));
    }

    [Fact]
    public void Invalidate_forgets_one_fact_and_keeps_the_others()
    {
        _cache.SetFact("link:/a/link", "a", TimeSpan.FromMinutes(1));
        _cache.SetFact("link:/a/link2", "b", TimeSpan.FromMinutes(1));

        _cache.Invalidate("link:/a/link");

        Assert.False(_cache.TryGetFact<string>("link:/a/link", out _));
        Assert.True(_cache.TryGetFact<string>("link:/a/link2", out _));
    }

    [Fact]
    public void Invalidate_prefix_forgets_every_fact_under_a_directory_and_nothing_beside_it()
    {
        var tag = "/docker/registry/v2/repositories/app/_manifests/tags/v1";
        _cache.SetFact(CacheKeys.Link(tag + "/current/link"), "current", TimeSpan.FromMinutes(1));
        _cache.SetFact(CacheKeys.Link(tag + "/index/sha256/ab/link"), "index", TimeSpan.FromMinutes(1));
        _cache.SetFact(CacheKeys.Link(tag + "0/current/link"), "sibling", TimeSpan.FromMinutes(1));
        _cache.SetFact(CacheKeys.Link(tag.ToUpperInvariant() + "/current/link"), "other case", TimeSpan.FromMinutes(1));

        _cache.InvalidatePrefix(CacheKeys.LinkDirectory(tag));

        Assert.False(_cache.TryGetFact<string>(CacheKeys.Link(tag + "/current/link"), out _));
        Assert.False(_cache.TryGetFact<string>(CacheKeys.Link(tag + "/index/sha256/ab/link"), out _));
        Assert.True(_cache.TryGetFact<string>(CacheKeys.Link(tag + "0/current/link"), out _));
        Assert.True(_cache.TryGetFact<string>(CacheKeys.Link(tag.ToUpperInvariant() + "/current/link"), out _));
    }

    [Fact]
    public void Keys_of_different_kinds_never_collide()
    {
        Assert.True(RepositoryName.TryParse("app", out var repository));
        var digest = Digest.Compute(DigestAlgorithm.Sha256, "x"u8);
        string[] keys = [CacheKeys.Link("/app"), CacheKeys.Blob(digest), CacheKeys.TagList(repository), CacheKeys.Catalog];

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.StartsWith(CacheKeys.LinkDirectory("/app"), CacheKeys.Link("/app/x"), StringComparison.Ordinal);
    }

    private static StoredManifest Manifest(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return new StoredManifest(Digest.Compute(DigestAlgorithm.Sha256, bytes), bytes, MediaTypes.OciManifest);
    }
}
