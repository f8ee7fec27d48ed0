using System.Net;
using System.Security.Cryptography;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests.Proxy;

/// <summary>
/// The pull-through cache against real upstreams on 127.0.0.1: Debian's registry:2, skopeo as the client.
/// </summary>
public sealed class PullThroughTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Skopeo_pulls_through_a_prefix_beside_a_hosted_repository_and_again_with_the_upstream_stopped()
    {
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("v1", 2, 150_000, seed: 41);
        var upstream = await ProxyUpstreams.StartRegistry2Async(_temp, "upstream");
        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{upstream.Host}/team/app:v1");

        await using var berth = await ProxyUpstreams.StartBerthAsync(_temp, "berth", $"""
            proxy:
              upstreams:
                - prefix: up
                  remoteurl: http://{upstream.Host}
                  tagfreshness: 1ms
                  breakerinterval: 1m
            """);

        await Skopeo.CopyAsync($"docker://{berth.Host}/up/team/app:v1", $"oci:{_temp.Combine("back")}:v1");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("back"));

        // Hosted beside proxied: a push outside the prefixes works, a push under one is refused clearly.
        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{berth.Host}/mine/app:v1");
        await Skopeo.CopyAsync($"docker://{berth.Host}/mine/app:v1", $"oci:{_temp.Combine("hosted")}:v1");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var refused = await client.PostAsync(new Uri(berth.BaseUri, "v2/up/team/app/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        Assert.Contains("UNSUPPORTED", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await upstream.DisposeAsync();
        await Skopeo.CopyAsync($"docker://{berth.Host}/up/team/app:v1", $"oci:{_temp.Combine("stale")}:v1");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("stale"));
        Assert.Contains("serving the cached", berth.Log, StringComparison.Ordinal);

        // Never cached, upstream down: a clear UNAVAILABLE, quickly (the breaker is open).
        var started = DateTime.UtcNow;
        using var missing = await client.GetAsync(new Uri(berth.BaseUri, "v2/up/team/other/manifests/v1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, missing.StatusCode);
        Assert.Contains("UNAVAILABLE", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Registry2_mirror_configuration_pulls_through_refuses_pushes_and_answers_the_upstreams_404()
    {
        var source = new OciLayout(_temp.Combine("src-m"));
        source.AddImage("v1", 1, 100_000, seed: 42);
        await using var upstream = await ProxyUpstreams.StartRegistry2Async(_temp, "upstream-m");
        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{upstream.Host}/library/base:v1");

        await using var berth = await ProxyUpstreams.StartBerthAsync(_temp, "berth-m", $"""
            proxy:
              remoteurl: http://{upstream.Host}
              ttl: 24h
            """);

        await Skopeo.CopyAsync($"docker://{berth.Host}/library/base:v1", $"oci:{_temp.Combine("back-m")}:v1");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src-m"), _temp.Combine("back-m"));

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var push = await client.PostAsync(new Uri(berth.BaseUri, "v2/anything/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, push.StatusCode);
        Assert.Contains("UNSUPPORTED", await push.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unknown = await client.GetAsync(new Uri(berth.BaseUri, "v2/library/base/manifests/nope"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("MANIFEST_UNKNOWN", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknownBlob = await client.GetAsync(new Uri(berth.BaseUri, "v2/library/base/blobs/sha256:" + new string('0', 64)));
        Assert.Equal(HttpStatusCode.NotFound, unknownBlob.StatusCode);
        Assert.Contains("BLOB_UNKNOWN", await unknownBlob.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sixteen_concurrent_pulls_of_one_uncached_20_MiB_blob_make_one_upstream_GET()
    {
        var source = new OciLayout(_temp.Combine("src-big"));
        var manifest = source.AddImage("big", 1, 20 * 1024 * 1024, seed: 43);
        var layer = ProxyUpstreams.Layers(_temp.Combine("src-big"), manifest).Single();
        await using var upstream = await ProxyUpstreams.StartRegistry2Async(_temp, "upstream-big");
        await Skopeo.CopyAsync(source.Reference("big"), $"docker://{upstream.Host}/big:v1");

        await using var berth = await ProxyUpstreams.StartBerthAsync(_temp, "berth-big", $"""
            proxy:
              upstreams:
                - prefix: up
                  remoteurl: http://{upstream.Host}
            """);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var url = new Uri(berth.BaseUri, $"v2/up/big/blobs/{layer}");
        var digests = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            await using var body = await client.GetStreamAsync(url);
            return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
        }));

        Assert.All(digests, d => Assert.Equal(layer, d));
        Assert.Equal(1, await ProxyUpstreams.CountGetsAsync(upstream, $"/v2/big/blobs/{layer}"));

        // Cached now: served from storage, no upstream request.
        using var again = await client.GetAsync(url);
        Assert.Equal(layer, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await again.Content.ReadAsByteArrayAsync())));
        Assert.Equal(1, await ProxyUpstreams.CountGetsAsync(upstream, $"/v2/big/blobs/{layer}"));
    }

    [Fact]
    public async Task A_registry2_mirrors_storage_is_served_by_berth_in_mirror_mode_with_the_upstream_gone()
    {
        var source = new OciLayout(_temp.Combine("src-r2"));
        source.AddImage("v1", 2, 100_000, seed: 44);
        var upstream = await ProxyUpstreams.StartRegistry2Async(_temp, "upstream-r2");
        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{upstream.Host}/library/base:v1");

        var store = _temp.Combine("mirror-store");
        var mirrorPort = FreePort.Next();
        Directory.CreateDirectory(_temp.Combine("mirror"));
        await using (var mirror = await RegistryProcess.StartRegistry2Async(
            RegistryProcess.WriteConfig(_temp.Combine("mirror"), store, mirrorPort, $"proxy:\n  remoteurl: http://{upstream.Host}"), mirrorPort))
        {
            await Skopeo.CopyAsync($"docker://{mirror.Host}/library/base:v1", $"oci:{_temp.Combine("via-r2")}:v1");

            // registry:2 saves its schedule every few seconds.
            var state = Path.Combine(store, "scheduler-state.json");
            for (var i = 0; i < 100 && !File.Exists(state); i++)
            {
                await Task.Delay(100);
            }

            Assert.True(File.Exists(state), "registry:2 wrote no scheduler-state.json:\n" + mirror.Log);
            var schedule = await File.ReadAllTextAsync(state);
            Assert.Contains("\"library/base@sha256:", schedule, StringComparison.Ordinal);
            Assert.Contains("\"ExpiryData\"", schedule, StringComparison.Ordinal);
        }

        await upstream.DisposeAsync();
        await using var berth = await ProxyUpstreams.StartBerthAsync(_temp, "berth-r2", $"""
            proxy:
              remoteurl: http://{upstream.Host}
            """, store);
        await Skopeo.CopyAsync($"docker://{berth.Host}/library/base:v1", $"oci:{_temp.Combine("back-r2")}:v1");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src-r2"), _temp.Combine("back-r2"));
    }
}
