using System.Diagnostics;
using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// The online collector as configured (storage.gc with deleteuntagged), running inside the serving registry: an image
/// replaced under its tag goes with its layers, while a tagged index keeps its untagged children (distribution#3178).
/// </summary>
public sealed class OnlineCollectionTests
{
    [Fact]
    public async Task The_scheduled_collector_frees_a_replaced_image_and_keeps_index_children()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings
        {
            // A short grace period: the pushes below finish within it, then the replaced image ages out.
            GarbageCollection = ["enabled: true", "interval: 0s", "graceperiod: 3s", "deleteuntagged: true"],
        });
        var client = registry.Client;
        var replaced = await client.PushImageAsync("online/app", "v1", layerCount: 1);
        var current = await client.PushImageAsync("online/app", "v1", layerCount: 1);
        var (_, arm64, amd64) = await client.PushIndexAsync("online/multi", "latest", ImageFormat.Oci);

        var clock = Stopwatch.StartNew();
        while (true)
        {
            // GET, not HEAD: a HEAD is what a push does before it skips an upload, so it keeps the blob young.
            using var layer = await client.GetAsync($"v2/online/app/blobs/{replaced.Layers[0].Digest}");
            using var manifest = await client.GetManifestAsync("online/app", replaced.Digest);
            if (layer.StatusCode == HttpStatusCode.NotFound && manifest.StatusCode == HttpStatusCode.NotFound)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the collector did not free the replaced image within 30 s");
            await Task.Delay(200);
        }

        foreach (var (repository, image) in new[] { ("online/app", current), ("online/multi", arm64), ("online/multi", amd64) })
        {
            using var kept = await client.GetManifestAsync(repository, image.Digest);
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
            foreach (var blob in image.Layers.Append(image.Config))
            {
                using var get = await client.GetAsync($"v2/{repository}/blobs/{blob.Digest}");
                Assert.Equal(HttpStatusCode.OK, get.StatusCode);
                Assert.Equal(blob.Content, await get.Content.ReadAsByteArrayAsync());
            }
        }
    }
}
