using System.Text;
using Berth.Core.Collection;
using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Collection;

/// <summary>
/// An index pushed while a collection with deleteuntagged runs, listing an old untagged child the collection already
/// judged unreachable: the push answered 201, so the child and its blobs must stay. Within one process the guard's
/// record says so; across instances only the store can, through the touch the push left on the child's data.
/// </summary>
public sealed class IndexChildCollectionTests
{
    [Fact]
    public async Task A_collector_in_another_instance_keeps_an_old_untagged_child_that_an_index_pushed_after_its_mark_lists()
    {
        using var serving = CoreRegistry.Create();
        HookedStorageDriver? hooked = null;
        using var collecting = serving.Replica(driver => hooked = new HookedStorageDriver(driver));
        var repository = CoreRegistry.Repository("gc/multi");
        var (child, childContent) = await serving.PushImageAsync(repository, tag: null, "platform layer, pushed long ago");
        var layers = new[] { CoreRegistry.DigestOf("{}"u8.ToArray()), CoreRegistry.DigestOf(Encoding.UTF8.GetBytes("platform layer, pushed long ago")) };
        Age(serving, RegistryPaths.ManifestRevisionLink(repository, child), RegistryPaths.BlobData(child));
        Age(serving, [.. layers.Select(RegistryPaths.BlobData)]);

        // After the collector marked the repository (the child untagged and old: unreachable), before it deletes.
        var revisions = $"{RegistryPaths.Repository(repository)}/_manifests/revisions";
        var listings = 0;
        _ = collecting.Driver;
        hooked!.Before((operation, path) => operation == "list" && path == revisions && ++listings == 2, async () =>
        {
            var outcome = await serving.Manifests.PutAsync(repository, "latest", expectedDigest: null, Index(child, childContent.Length), MediaTypes.OciIndex);
            Assert.Null(outcome.Error);
        });

        await collecting.Get<GarbageCollector>().CollectAsync(
            new CollectionOptions(DryRun: false, DeleteUntagged: true) { GracePeriod = TimeSpan.FromHours(1) }, TextWriter.Null);

        Assert.True(hooked.Fired);
        // Read from the store: the serving instance's link cache still remembers the revision it checked for the index.
        Assert.True(await serving.Driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, child)) is not null, "the collector deleted the child of an index pushed (201) while it ran");
        foreach (var layer in layers)
        {
            Assert.NotNull(await serving.Driver.StatAsync(RegistryPaths.BlobData(layer)));
        }
    }

    internal static byte[] Index(Digest child, int size) => Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{child}}","size":{{size}},"platform":{"architecture":"amd64","os":"linux"} } ]}""");

    /// <summary>Makes storage objects look last written three hours ago, as if pushed long before.</summary>
    internal static void Age(CoreRegistry registry, params string[] paths)
    {
        foreach (var path in paths)
        {
            File.SetLastWriteTimeUtc(registry.FileOf(path), DateTime.UtcNow.AddHours(-3));
        }
    }
}
