using System.Net;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Proxy;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests.Proxy;

/// <summary>
/// The cache's time to live: refreshed by pulls (a manifest's pull refreshes its layers), kept in registry:2's
/// scheduler-state.json, and expiry removes the proxied repository's links without breaking images that share layers.
/// </summary>
public sealed class ProxyExpiryTests
{
    [Fact]
    public async Task Expiring_one_image_removes_its_links_but_keeps_the_layer_a_fresher_image_shares()
    {
        var shared = UpstreamImage.RandomBytes(5000);
        var x = UpstreamImage.Create("app", "x", """{"os":"linux","v":"x"}""", shared, UpstreamImage.RandomBytes(3000));
        var y = UpstreamImage.Create("app", "y", """{"os":"linux","v":"y"}""", shared);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            if (!await x.TryServeAsync(context) && !await y.TryServeAsync(context))
            {
                context.Response.StatusCode = 404;
            }
        });
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var settings = new RegistrySettings
        {
            Extra = $"""
                proxy:
                  upstreams:
                    - prefix: up
                      remoteurl: {upstream.BaseUri}
                      ttl: 24h
                """,
        };
        using var store = new TemporaryStore();
        await using (var proxy = await RegistryFixture.StartAsync(settings, store, clock))
        {
            await PullAsync(proxy, x);
            clock.Advance(TimeSpan.FromHours(20));
            await PullAsync(proxy, y);
            clock.Advance(TimeSpan.FromHours(10));

            var expiry = proxy.Resolve<ProxyExpiry>();
            Assert.True(await expiry.ExpireAsync() >= 3);
            await expiry.SaveAsync();

            var name = Name("up/app");
            Assert.Null(await proxy.Services.Manifests.GetAsync(name, Parse(x.Digest)));
            Assert.Null(await proxy.Services.Tags.ResolveAsync(name, "x"));
            Assert.All(x.Blobs.Keys.Where(d => d != UpstreamImage.Sha256(shared)), async d => Assert.Null(await proxy.Services.Blobs.StatAsync(name, Parse(d))));
            Assert.NotNull(await proxy.Services.Blobs.StatAsync(name, Parse(UpstreamImage.Sha256(shared))));
            Assert.NotNull(await proxy.Services.Manifests.GetAsync(name, Parse(y.Digest)));

            // Read through the driver: the suite also runs on Azurite.
            var state = System.Text.Encoding.UTF8.GetString((await proxy.Services.Driver.GetContentAsync(ProxyExpiry.StatePath))!);
            Assert.Contains($"\"up/app@{y.Digest}\"", state, StringComparison.Ordinal);
            Assert.DoesNotContain(x.Digest, state, StringComparison.Ordinal);
        }

        // The schedule outlives the process: a restart a day later expires the rest.
        clock.Advance(TimeSpan.FromHours(24));
        await using (var restarted = await RegistryFixture.StartAsync(settings, store, clock))
        {
            var expiry = restarted.Resolve<ProxyExpiry>();
            await expiry.LoadAsync();
            Assert.True(await expiry.ExpireAsync() >= 2);
            Assert.Null(await restarted.Services.Manifests.GetAsync(Name("up/app"), Parse(y.Digest)));
        }
    }

    [Fact]
    public async Task A_registry2_scheduler_state_is_read_and_its_expired_entries_removed()
    {
        var image = UpstreamImage.Create("library/base", "v1", """{"os":"linux"}""", UpstreamImage.RandomBytes(2000));
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            if (!await image.TryServeAsync(context))
            {
                context.Response.StatusCode = 404;
            }
        });
        using var store = new TemporaryStore();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var settings = new RegistrySettings { Extra = $"proxy:\n  remoteurl: {upstream.BaseUri}\n" };
        await using var proxy = await RegistryFixture.StartAsync(settings, store, clock);
        await PullAsync(proxy, image, "library/base");

        // registry:2 writes Go's RFC 3339 with nanoseconds; this one ran out an hour ago.
        var expired = clock.GetUtcNow().AddHours(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "12Z";
        var key = $"library/base@{image.Digest}";
        await proxy.Services.Driver.PutContentAsync(ProxyExpiry.StatePath, System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"{{{key}}}":{"Key":"{{{key}}}","ExpiryData":"{{{expired}}}","EntryType":1}}"""));

        var expiry = new ProxyExpiry(proxy.Services.Driver, proxy.Services.Manifests, proxy.Services.Writer, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<ProxyExpiry>.Instance);
        await expiry.LoadAsync();
        Assert.Equal(1, expiry.Count);
        Assert.Equal(1, await expiry.ExpireAsync());
        Assert.Null(await proxy.Services.Manifests.GetAsync(Name("library/base"), Parse(image.Digest)));
    }

    private static async Task PullAsync(RegistryFixture proxy, UpstreamImage image, string repository = "up/app")
    {
        using var manifest = await proxy.Client.GetManifestAsync(repository, image.Tag, null, UpstreamImage.MediaType);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        foreach (var digest in image.Blobs.Keys)
        {
            using var blob = await proxy.Client.GetAsync($"v2/{repository}/blobs/{digest}");
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            await blob.Content.ReadAsByteArrayAsync();
        }
    }

    private static RepositoryName Name(string value) => RepositoryName.TryParse(value, out var name) ? name : throw new ArgumentException(value);

    private static Digest Parse(string value) => Digest.TryParse(value, out var digest) ? digest : throw new ArgumentException(value);
}
