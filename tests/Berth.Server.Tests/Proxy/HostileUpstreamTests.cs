using System.Diagnostics.Metrics;
using System.Net;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Proxy;
using Berth.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Tests.Proxy;

/// <summary>
/// The pull-through cache facing an upstream it must not trust: bytes that do not match their digest, token realms on
/// other hosts, redirects to storage; and the streaming and freshness promises, measured at the upstream.
/// </summary>
public sealed class HostileUpstreamTests
{
    private static RegistrySettings ProxyTo(ScriptedUpstream upstream, string more = "") => new()
    {
        Extra = $"""
            proxy:
              upstreams:
                - prefix: up
                  remoteurl: {upstream.BaseUri}
                  timeout: 10s
            {more}
            """,
    };

    [Fact]
    public async Task Blob_whose_bytes_do_not_match_its_digest_aborts_the_response_and_stores_nothing()
    {
        var genuine = UpstreamImage.RandomBytes(300_000);
        var digest = UpstreamImage.Sha256(genuine);
        var forged = genuine.ToArray();
        forged[^1] ^= 0xff;
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            // Slowly enough that the client is already receiving when the last bytes reveal the forgery.
            context.Response.ContentLength = forged.Length;
            await context.Response.Body.WriteAsync(forged.AsMemory(0, 100_000));
            await context.Response.Body.FlushAsync();
            await Task.Delay(500);
            await context.Response.Body.WriteAsync(forged.AsMemory(100_000));
        });
        await using var proxy = await RegistryFixture.StartAsync(ProxyTo(upstream));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => proxy.Client.GetAsync($"v2/up/app/blobs/{digest}"));

        Assert.True(Digest.TryParse(digest, out var parsed));
        Assert.True(RepositoryName.TryParse("up/app", out var name));
        Assert.Null(await proxy.Services.Blobs.StatDataInStoreAsync(parsed));
        Assert.Null(await proxy.Services.Blobs.StatAsync(name, parsed));
        Assert.Empty(Directory.EnumerateFiles(proxy.Store.Root, "data", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Cold_blob_reaches_the_client_before_the_upstream_finished_sending_it()
    {
        var blob = UpstreamImage.RandomBytes(600_000);
        var digest = UpstreamImage.Sha256(blob);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentLength = blob.Length;
            await context.Response.Body.WriteAsync(blob.AsMemory(0, 100_000));
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await context.Response.Body.WriteAsync(blob.AsMemory(100_000));
        });
        await using var proxy = await RegistryFixture.StartAsync(ProxyTo(upstream));

        using var response = await proxy.Client.GetAsync($"v2/up/app/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[50_000];
        await body.ReadExactlyAsync(first).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(blob[..first.Length], first);

        release.SetResult();
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(blob[first.Length..], rest.ToArray());
        Assert.Equal(blob.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Credentials_never_reach_a_foreign_token_realm_or_a_redirected_host_and_tokens_are_reused()
    {
        var image = UpstreamImage.Create("app", "v1", """{"architecture":"amd64","os":"linux"}""", UpstreamImage.RandomBytes(20_000));
        await using var storage = await ScriptedUpstream.StartAsync(async context =>
        {
            var digest = context.Request.Path.Value!["/storage/".Length..];
            await context.Response.Body.WriteAsync(image.Blobs[digest]);
        }, host: "localhost");
        await using var tokens = await ScriptedUpstream.StartAsync(context =>
            context.Response.WriteAsync("""{"token":"t0k3n","expires_in":300}"""), host: "localhost");
        ScriptedUpstream? self = null;
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            if (context.Request.Headers.Authorization != "Bearer t0k3n")
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{tokens.BaseUri}token\",service=\"upstream\"";
                return;
            }

            var path = context.Request.Path.Value!;
            if (path.Contains("/blobs/", StringComparison.Ordinal))
            {
                context.Response.Redirect($"{storage.BaseUri}storage/{path[(path.LastIndexOf('/') + 1)..]}");
                return;
            }

            if (!await image.TryServeAsync(context))
            {
                context.Response.StatusCode = 404;
            }
        });
        self = upstream;
        await using var proxy = await RegistryFixture.StartAsync(ProxyTo(upstream, "") with
        {
            Extra = $"""
                proxy:
                  upstreams:
                    - prefix: up
                      remoteurl: {upstream.BaseUri}
                      username: robot
                      password: s3cret
                """,
        });

        using var manifest = await proxy.Client.GetManifestAsync("up/app", "v1", null, UpstreamImage.MediaType);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal(image.Manifest, await manifest.Content.ReadAsByteArrayAsync());
        foreach (var (digest, content) in image.Blobs)
        {
            using var blob = await proxy.Client.GetAsync($"v2/up/app/blobs/{digest}");
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
        }

        Assert.Single(tokens.Requests);
        Assert.All(tokens.Requests, r => Assert.Null(r.Authorization));
        Assert.Contains("scope=repository%3Aapp%3Apull", tokens.Requests.Single().Path, StringComparison.Ordinal);
        Assert.Equal(image.Blobs.Count, storage.Requests.Count);
        Assert.All(storage.Requests, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(self.Requests, r => r.Authorization is { } value && value.StartsWith("Basic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tag_is_not_asked_again_within_its_freshness_window_and_only_with_a_HEAD_after_it()
    {
        var image = UpstreamImage.Create("app", "v1", """{"os":"linux"}""", UpstreamImage.RandomBytes(1000));
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            if (!await image.TryServeAsync(context))
            {
                context.Response.StatusCode = 404;
            }
        });

        // Counted per upstream on the "Berth" meter; this test's upstream has a prefix no other test uses.
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProxyMetrics.MeterName && instrument.Name.StartsWith("berth.proxy.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "upstream" && (string?)tag.Value == "fresh")
                {
                    counts.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                }
            }
        });
        listener.Start();

        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var settings = new RegistrySettings
        {
            Extra = $"""
                proxy:
                  upstreams:
                    - prefix: fresh
                      remoteurl: {upstream.BaseUri}
                """,
        };
        await using var proxy = await RegistryFixture.StartAsync(settings, time: clock);

        for (var i = 0; i < 3; i++)
        {
            using var pulled = await proxy.Client.GetManifestAsync("fresh/app", "v1", null, UpstreamImage.MediaType);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        Assert.Equal(["GET /v2/app/manifests/v1"], upstream.Requests.Select(r => $"{r.Method} {r.Path}"));

        clock.Advance(TimeSpan.FromMinutes(2));
        using var after = await proxy.Client.GetManifestAsync("fresh/app", "v1", null, UpstreamImage.MediaType);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(["GET /v2/app/manifests/v1", "HEAD /v2/app/manifests/v1"], upstream.Requests.Select(r => $"{r.Method} {r.Path}"));

        Assert.Equal(1, counts.GetValueOrDefault("berth.proxy.misses"));
        Assert.Equal(3, counts.GetValueOrDefault("berth.proxy.hits"));
        Assert.Equal(image.Manifest.Length, counts.GetValueOrDefault("berth.proxy.fetched"));
        Assert.Equal(0, counts.GetValueOrDefault("berth.proxy.errors"));
    }

    [Fact]
    public async Task A_hanging_upstream_costs_one_timeout_per_breaker_interval_while_cached_tags_are_served_stale()
    {
        var image = UpstreamImage.Create("app", "v1", """{"os":"linux"}""", UpstreamImage.RandomBytes(1000));
        var answered = 0;
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref answered) > 1)
            {
                // From the second request on, the upstream accepts connections and never answers.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await image.TryServeAsync(context);
        });
        await using var proxy = await RegistryFixture.StartAsync(new RegistrySettings
        {
            Extra = $"""
                proxy:
                  upstreams:
                    - prefix: up
                      remoteurl: {upstream.BaseUri}
                      tagfreshness: 1ms
                      timeout: 1s
                      breakerinterval: 1m
                """,
        });

        using var first = await proxy.Client.GetManifestAsync("up/app", "v1", null, UpstreamImage.MediaType);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Task.Delay(10);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timedOut = await proxy.Client.GetManifestAsync("up/app", "v1", null, UpstreamImage.MediaType);
        var firstFailure = clock.Elapsed;
        clock.Restart();
        for (var i = 0; i < 5; i++)
        {
            using var stale = await proxy.Client.GetManifestAsync("up/app", "v1", null, UpstreamImage.MediaType);
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            Assert.Equal(image.Manifest, await stale.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(HttpStatusCode.OK, timedOut.StatusCode);
        Assert.True(firstFailure >= TimeSpan.FromSeconds(0.9), $"the first failure took {firstFailure}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"five pulls with the breaker open took {clock.Elapsed}, not one timeout each");
        Assert.Equal(2, upstream.Requests.Count);

        using var uncached = await proxy.Client.GetManifestAsync("up/other", "v1", null, UpstreamImage.MediaType);
        await ErrorAssert.HasErrorAsync(uncached, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
    }

    [Fact]
    public async Task Concurrent_pulls_of_an_uncached_tag_make_one_upstream_request()
    {
        var image = UpstreamImage.Create("app", "v1", """{"os":"linux"}""", UpstreamImage.RandomBytes(1000));
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await Task.Delay(300);
            await image.TryServeAsync(context);
        });
        await using var proxy = await RegistryFixture.StartAsync(ProxyTo(upstream));

        var pulls = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await proxy.Client.GetManifestAsync("up/app", "v1", null, UpstreamImage.MediaType);
            return (Status: response.StatusCode, Body: await response.Content.ReadAsByteArrayAsync());
        }));

        Assert.All(pulls, p =>
        {
            Assert.Equal(HttpStatusCode.OK, p.Status);
            Assert.Equal(image.Manifest, p.Body);
        });
        Assert.Single(upstream.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Manifest_over_4_MiB_or_not_matching_its_digest_is_refused_and_not_stored(bool oversized)
    {
        var image = UpstreamImage.Create("app", "v1", """{"os":"linux"}""", UpstreamImage.RandomBytes(1000));
        var body = oversized
            ? System.Text.Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"pad\":\"" + new string('a', 5 * 1024 * 1024) + "\"}")
            : image.Manifest;
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = UpstreamImage.MediaType;
            await context.Response.Body.WriteAsync(body);
        });
        await using var proxy = await RegistryFixture.StartAsync(ProxyTo(upstream));

        // By tag for the oversized one; by a digest the bytes do not hash to for the other.
        var reference = oversized ? "v1" : UpstreamImage.Sha256([1, 2, 3]);
        using var response = await proxy.Client.GetManifestAsync("up/app", reference, null, UpstreamImage.MediaType);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.Empty(Directory.EnumerateFiles(proxy.Store.Root, "data", SearchOption.AllDirectories));
    }
}
