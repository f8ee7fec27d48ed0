using System.Net;
using Berth.Core.Collection;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// Issue 10, registry:2's command on every driver: run against the store a registry is serving, the collector frees
/// exactly the unreachable blobs, keeps index children and referrers, and the serving registry stops reporting what
/// it deleted at once (distribution#1803: no cached fact survives the sweep).
/// </summary>
public sealed class GarbageCollectionTests : IAsyncLifetime
{
    private RegistryFixture _registry = null!;

    public async Task InitializeAsync() => _registry = await RegistryFixture.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Delete_untagged_frees_the_replaced_image_and_the_orphan_but_keeps_children_and_referrers()
    {
        var client = _registry.Client;
        var replaced = await client.PushImageAsync("gc/app", "v1", layerCount: 2);
        var current = await client.PushImageAsync("gc/app", "v1", layerCount: 1);
        var (_, arm64, amd64) = await client.PushIndexAsync("gc/multi", "latest", ImageFormat.Oci);
        var orphan = await client.PushBlobAsync("gc/app", Digests.RandomBytes(321));
        var signature = await PushReferrerAsync(client, "gc/app", current);
        foreach (var blob in new[] { orphan }.Concat(replaced.Layers.Select(l => l.Digest)))
        {
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/gc/app/blobs/{blob}"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        // The HEADs above touched those blobs; Azure keeps modification times in whole seconds, so let them age
        // past the start of the collection (a zero grace period still keeps what was modified after it began).
        await Task.Delay(TestStorage.UseAzure ? TimeSpan.FromSeconds(2.1) : TimeSpan.Zero);
        var collector = _registry.Resolve<GarbageCollector>();
        var dryRun = await collector.CollectAsync(new CollectionOptions(DryRun: true, DeleteUntagged: true), TextWriter.Null);
        var summary = await collector.CollectAsync(new CollectionOptions(DryRun: false, DeleteUntagged: true), TextWriter.Null);

        var expected = replaced.Layers.Select(l => l.Digest).Append(replaced.Config.Digest).Append(replaced.Digest).Append(orphan).Order().ToList();
        Assert.Equal(expected, dryRun.BlobsEligible.Select(d => d.Value).Order().ToList());
        Assert.Equal(expected, summary.BlobsEligible.Select(d => d.Value).Order().ToList());
        Assert.Equal([replaced.Digest], summary.ManifestsEligible.Select(m => m.Manifest.Value));
        foreach (var blob in expected.Where(d => d != replaced.Digest))
        {
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/gc/app/blobs/{blob}"));
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        using (var gone = await client.GetManifestAsync("gc/app", replaced.Digest))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        foreach (var (repository, reference) in new[] { ("gc/app", "v1"), ("gc/app", signature), ("gc/multi", "latest"), ("gc/multi", arm64.Digest), ("gc/multi", amd64.Digest) })
        {
            using var kept = await client.GetManifestAsync(repository, reference);
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        var keptBlobs = amd64.Layers.Concat(arm64.Layers).Concat(current.Layers).Append(amd64.Config).Append(arm64.Config).Append(current.Config);
        foreach (var blob in keptBlobs.Select(b => b.Digest))
        {
            var repository = current.Layers.Append(current.Config).Any(l => l.Digest == blob) ? "gc/app" : "gc/multi";
            using var get = await client.GetAsync($"v2/{repository}/blobs/{blob}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        var again = await collector.CollectAsync(new CollectionOptions(DryRun: true, DeleteUntagged: true), TextWriter.Null);
        Assert.Empty(again.BlobsEligible);
    }

    /// <summary>An untagged OCI artifact whose subject is <paramref name="subject"/>, as cosign pushes a signature.</summary>
    private static async Task<string> PushReferrerAsync(HttpClient client, string repository, TestImage subject)
    {
        var config = "{}"u8.ToArray();
        await client.PushBlobAsync(repository, config);
        var payload = Digests.RandomBytes(64);
        await client.PushBlobAsync(repository, payload);
        var manifest = new System.Text.Json.Nodes.JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaType.OciManifest,
            ["artifactType"] = "application/vnd.example.signature",
            ["config"] = ManifestBuilder.Descriptor(MediaType.OciEmpty, config),
            ["layers"] = new System.Text.Json.Nodes.JsonArray(ManifestBuilder.Descriptor("application/octet-stream", payload)),
            ["subject"] = ManifestBuilder.Descriptor(subject.MediaType, subject.Digest, subject.Manifest.Length),
        }.ToBytes();
        var digest = Digests.Sha256(manifest);
        using var put = await client.PutManifestAsync(repository, digest, manifest, MediaType.OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }
}
