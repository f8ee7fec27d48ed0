using System.Text;
using Berth.Core.Collection;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Collection;

/// <summary>The collector deletes only what no stored manifest references, whatever kind of manifest a store holds.</summary>
public sealed class GarbageCollectorTests
{
    /// <summary>
    /// A store taken over from registry:2 can hold schema1 manifests (registry:2 accepted them for years). Berth refuses
    /// new ones, but the collector must still see what the stored ones reference, or it deletes their layers.
    /// </summary>
    [Fact]
    public async Task Layers_of_a_stored_schema1_manifest_are_kept()
    {
        using var registry = CoreRegistry.Create();
        var repository = CoreRegistry.Repository("legacy/app");
        var layer = Encoding.UTF8.GetBytes("schema1 layer");
        var layerDigest = CoreRegistry.DigestOf(layer);
        await registry.Writer.PutBlobAsync(repository, layerDigest, layer);
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":1,"name":"legacy/app","tag":"v1","architecture":"amd64",
             "fsLayers":[{"blobSum":"{{layerDigest}}"}],
             "history":[{"v1Compatibility":"{\"id\":\"a\"}"}]}
            """);
        var manifestDigest = CoreRegistry.DigestOf(manifest);

        // Written as registry:2 left it: the bytes as a blob, a revision link and a tag.
        await registry.Driver.PutContentAsync(RegistryPaths.BlobData(manifestDigest), manifest);
        await registry.Driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(repository, manifestDigest), Encoding.ASCII.GetBytes(manifestDigest.Value));
        await registry.Driver.PutContentAsync(RegistryPaths.TagIndexLink(repository, "v1", manifestDigest), Encoding.ASCII.GetBytes(manifestDigest.Value));
        await registry.Driver.PutContentAsync(RegistryPaths.TagCurrentLink(repository, "v1"), Encoding.ASCII.GetBytes(manifestDigest.Value));

        var summary = await registry.Get<GarbageCollector>().CollectAsync(new CollectionOptions(DryRun: false, DeleteUntagged: false), TextWriter.Null);

        Assert.DoesNotContain(layerDigest, summary.BlobsEligible);
        Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.BlobData(layerDigest)));
    }

    /// <summary>
    /// registry:2 parses with Go's encoding/json, which takes a duplicate key (the last wins), so its store can hold a
    /// manifest Berth would not accept or serve. Its layers are still referenced: registry:2's own collector keeps them.
    /// </summary>
    [Fact]
    public async Task Layers_of_a_stored_manifest_berth_would_not_serve_are_kept()
    {
        using var registry = CoreRegistry.Create();
        var repository = CoreRegistry.Repository("legacy/duplicate");
        var config = "{}"u8.ToArray();
        var layer = Encoding.UTF8.GetBytes("layer of a manifest with a duplicate key");
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(config), config);
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(layer), layer);
        var manifest = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(
            Samples.OciManifest(CoreRegistry.DigestOf(config), config.Length, CoreRegistry.DigestOf(layer), layer.Length)).Replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"schemaVersion\":2,", StringComparison.Ordinal));
        var manifestDigest = CoreRegistry.DigestOf(manifest);
        await registry.Driver.PutContentAsync(RegistryPaths.BlobData(manifestDigest), manifest);
        await registry.Driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(repository, manifestDigest), Encoding.ASCII.GetBytes(manifestDigest.Value));
        await registry.Driver.PutContentAsync(RegistryPaths.TagIndexLink(repository, "v1", manifestDigest), Encoding.ASCII.GetBytes(manifestDigest.Value));
        await registry.Driver.PutContentAsync(RegistryPaths.TagCurrentLink(repository, "v1"), Encoding.ASCII.GetBytes(manifestDigest.Value));
        Assert.Null(await registry.Manifests.GetAsync(repository, manifestDigest));

        foreach (var deleteUntagged in new[] { false, true })
        {
            var summary = await registry.Get<GarbageCollector>().CollectAsync(new CollectionOptions(DryRun: false, DeleteUntagged: deleteUntagged), TextWriter.Null);

            Assert.Empty(summary.BlobsEligible);
            Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.BlobData(CoreRegistry.DigestOf(layer))));
            Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.BlobData(CoreRegistry.DigestOf(config))));
        }
    }
}
