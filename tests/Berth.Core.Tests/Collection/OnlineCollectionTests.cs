using System.Text;
using Berth.Core.Collection;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Collection;

/// <summary>
/// The interleavings the online collector must survive, forced one at a time: a push holding a blob while the
/// collector reaches it, a manifest arriving after its blob was collected, the grace period, touches and quarantine.
/// </summary>
public sealed class OnlineCollectionTests
{
    private static readonly CollectionOptions NoGrace = new(DryRun: false, DeleteUntagged: false);

    [Fact]
    public async Task A_blob_a_push_holds_while_the_collection_runs_is_kept_and_the_collector_waits_for_the_hold()
    {
        using var registry = CoreRegistry.Create();
        var orphan = await PutOrphanAsync(registry, "held by a push");

        var hold = await registry.Get<ReferenceGuard>().ReferenceAsync([orphan]);
        var collection = Task.Run(() => registry.Get<GarbageCollector>().CollectAsync(NoGrace, TextWriter.Null));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(collection.IsCompleted, "the collector deleted or passed a blob a push was holding");
        await hold.DisposeAsync();
        var summary = await collection;

        Assert.Contains(orphan, summary.BlobsEligible);
        Assert.Equal(0, summary.BlobsDeleted);
        Assert.Equal(1, summary.KeptByRecheck);
        Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.BlobData(orphan)));
    }

    [Fact]
    public async Task An_orphan_nobody_holds_is_deleted_with_a_zero_grace_period()
    {
        using var registry = CoreRegistry.Create();
        var orphan = await PutOrphanAsync(registry, "nobody wants me");

        var summary = await registry.Get<GarbageCollector>().CollectAsync(NoGrace, TextWriter.Null);

        Assert.Equal(1, summary.BlobsDeleted);
        Assert.Null(await registry.Driver.StatAsync(RegistryPaths.BlobData(orphan)));
    }

    [Fact]
    public async Task A_manifest_whose_blob_was_collected_is_refused_and_nothing_is_stored()
    {
        using var registry = CoreRegistry.Create();
        var repository = CoreRegistry.Repository("gc/late");
        var config = "{}"u8.ToArray();
        var layer = Encoding.UTF8.GetBytes("uploaded, then collected before its manifest came");
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(config), config);
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(layer), layer);
        Age(registry, CoreRegistry.DigestOf(layer), CoreRegistry.DigestOf(config));
        await registry.Get<GarbageCollector>().CollectAsync(NoGrace, TextWriter.Null);

        var manifest = Samples.OciManifest(CoreRegistry.DigestOf(config), config.Length, CoreRegistry.DigestOf(layer), layer.Length);
        var outcome = await registry.Manifests.PutAsync(repository, "v1", expectedDigest: null, manifest, MediaTypes.OciManifest);

        Assert.Equal(ErrorCode.ManifestBlobUnknown, outcome.Error?.Code);
        Assert.Null(await registry.Tags.ResolveAsync(repository, "v1"));
        Assert.Null(await registry.Driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, CoreRegistry.DigestOf(manifest))));
    }

    [Fact]
    public async Task Blobs_modified_within_the_grace_period_are_kept_and_older_ones_go()
    {
        using var registry = CoreRegistry.Create();
        var young = await PutOrphanAsync(registry, "young");
        var old = await PutOrphanAsync(registry, "old");
        Age(registry, old);

        var summary = await registry.Get<GarbageCollector>().CollectAsync(NoGrace with { GracePeriod = TimeSpan.FromHours(1) }, TextWriter.Null);

        Assert.Equal(1, summary.BlobsWithinGracePeriod);
        Assert.Equal([old], summary.BlobsEligible);
        Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.BlobData(young)));
        Assert.Null(await registry.Driver.StatAsync(RegistryPaths.BlobData(old)));
    }

    [Fact]
    public async Task A_reference_touches_an_old_blob_so_a_later_collection_keeps_it_for_the_grace_period()
    {
        using var registry = CoreRegistry.Create();
        var checkedByPush = await PutOrphanAsync(registry, "HEAD-checked by a push");
        Age(registry, checkedByPush);

        // What a blob HEAD, a mount or a manifest PUT does: hold, check, let go.
        await (await registry.Get<ReferenceGuard>().ReferenceAsync([checkedByPush])).DisposeAsync();
        var summary = await registry.Get<GarbageCollector>().CollectAsync(NoGrace with { GracePeriod = TimeSpan.FromHours(1) }, TextWriter.Null);

        Assert.Equal(0, summary.BlobsDeleted);
        Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.BlobData(checkedByPush)));
    }

    [Fact]
    public async Task A_quarantined_blob_is_restored_by_the_push_that_needs_it()
    {
        using var registry = CoreRegistry.CreateWithGarbageCollection("quarantine: 1h\ngraceperiod: 0s");
        var repository = CoreRegistry.Repository("gc/quarantine");
        var config = "{}"u8.ToArray();
        var layer = Encoding.UTF8.GetBytes("collected into quarantine, then needed again");
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(config), config);
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(layer), layer);
        var quarantine = NoGrace with { Quarantine = TimeSpan.FromHours(1) };

        var summary = await registry.Get<GarbageCollector>().CollectAsync(quarantine, TextWriter.Null);
        Assert.Equal(2, summary.BlobsDeleted);
        Assert.Null(await registry.Driver.StatAsync(RegistryPaths.BlobData(CoreRegistry.DigestOf(layer))));
        Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.QuarantinedBlobData(CoreRegistry.DigestOf(layer))));

        var manifest = Samples.OciManifest(CoreRegistry.DigestOf(config), config.Length, CoreRegistry.DigestOf(layer), layer.Length);
        var outcome = await registry.Manifests.PutAsync(repository, "v1", expectedDigest: null, manifest, MediaTypes.OciManifest);

        Assert.Null(outcome.Error);
        Assert.Equal(layer, await registry.Driver.GetContentAsync(RegistryPaths.BlobData(CoreRegistry.DigestOf(layer))));
        Assert.Null(await registry.Driver.StatAsync(RegistryPaths.QuarantinedBlobData(CoreRegistry.DigestOf(layer))));
    }

    [Fact]
    public async Task Quarantined_blobs_are_purged_once_the_quarantine_period_has_passed()
    {
        using var registry = CoreRegistry.CreateWithGarbageCollection("quarantine: 1h\ngraceperiod: 0s");
        var orphan = await PutOrphanAsync(registry, "quarantined long ago");
        var quarantine = NoGrace with { Quarantine = TimeSpan.FromHours(1) };
        await registry.Get<GarbageCollector>().CollectAsync(quarantine, TextWriter.Null);
        var stillWaiting = await registry.Get<GarbageCollector>().CollectAsync(quarantine, TextWriter.Null);
        Assert.Equal(0, stillWaiting.QuarantinePurged);

        File.SetLastWriteTimeUtc(registry.FileOf(RegistryPaths.QuarantinedBlobData(orphan)), DateTime.UtcNow.AddHours(-2));
        var purged = await registry.Get<GarbageCollector>().CollectAsync(quarantine, TextWriter.Null);

        Assert.Equal(1, purged.QuarantinePurged);
        Assert.Null(await registry.Driver.StatAsync(RegistryPaths.QuarantinedBlobData(orphan)));
    }

    /// <summary>
    /// Across instances the move into quarantine is not atomic with its time check: a manifest can be stored (201 from
    /// another instance) referencing a blob that went into quarantine in that moment. The next collection marks the
    /// blob through that manifest; it must bring it back, not purge it when its quarantine period ends.
    /// </summary>
    [Fact]
    public async Task A_quarantined_blob_a_stored_manifest_references_is_restored_not_purged()
    {
        using var registry = CoreRegistry.CreateWithGarbageCollection("quarantine: 1h\ngraceperiod: 0s");
        var repository = CoreRegistry.Repository("gc/requarantine");
        var config = "{}"u8.ToArray();
        var layer = Encoding.UTF8.GetBytes("quarantined the moment another instance stored a manifest naming it");
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(config), config);
        await registry.Writer.PutBlobAsync(repository, CoreRegistry.DigestOf(layer), layer);
        var quarantine = NoGrace with { Quarantine = TimeSpan.FromHours(1) };
        await registry.Get<GarbageCollector>().CollectAsync(quarantine, TextWriter.Null);
        Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.QuarantinedBlobData(CoreRegistry.DigestOf(layer))));

        // The manifest as the other instance stored it, and a quarantine period that has passed since.
        var manifest = Samples.OciManifest(CoreRegistry.DigestOf(config), config.Length, CoreRegistry.DigestOf(layer), layer.Length);
        var manifestDigest = CoreRegistry.DigestOf(manifest);
        await registry.Driver.PutContentAsync(RegistryPaths.BlobData(manifestDigest), manifest);
        await registry.Driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(repository, manifestDigest), Encoding.ASCII.GetBytes(manifestDigest.Value));
        foreach (var blob in new[] { config, layer }.Select(CoreRegistry.DigestOf))
        {
            File.SetLastWriteTimeUtc(registry.FileOf(RegistryPaths.QuarantinedBlobData(blob)), DateTime.UtcNow.AddHours(-2));
        }

        var summary = await registry.Get<GarbageCollector>().CollectAsync(quarantine, TextWriter.Null);

        Assert.Equal(0, summary.QuarantinePurged);
        Assert.Equal(layer, await registry.Driver.GetContentAsync(RegistryPaths.BlobData(CoreRegistry.DigestOf(layer))));
        Assert.Equal(config, await registry.Driver.GetContentAsync(RegistryPaths.BlobData(CoreRegistry.DigestOf(config))));
    }

    [Fact]
    public async Task A_dry_run_changes_nothing()
    {
        using var registry = CoreRegistry.Create();
        var orphan = await PutOrphanAsync(registry, "looked at, not touched");

        var summary = await registry.Get<GarbageCollector>().CollectAsync(NoGrace with { DryRun = true }, TextWriter.Null);

        Assert.Equal([orphan], summary.BlobsEligible);
        Assert.Equal(0, summary.BlobsDeleted);
        Assert.NotNull(await registry.Driver.StatAsync(RegistryPaths.BlobData(orphan)));
    }

    [Fact]
    public async Task Another_instance_stops_serving_a_collected_blob_within_its_cache_lifetime_and_never_skips_its_upload()
    {
        using var registry = CoreRegistry.Create();
        using var replica = registry.Replica();
        var repository = CoreRegistry.Repository("gc/orphans");
        var content = Encoding.UTF8.GetBytes("cached by the other instance");
        var orphan = await PutOrphanAsync(registry, "cached by the other instance");
        Assert.NotNull(await replica.Blobs.StatAsync(repository, orphan));

        await registry.Get<GarbageCollector>().CollectAsync(NoGrace, TextWriter.Null);

        Assert.Null(await replica.Blobs.OpenReadAsync(orphan));
        replica.Time.Advance(Berth.Core.Caching.CacheKeys.BlobTimeToLive + TimeSpan.FromSeconds(1));
        Assert.Null(await replica.Blobs.StatAsync(repository, orphan));

        // distribution#1803: a push of the same blob through the other instance writes the data again.
        Assert.Equal(Berth.Core.Writes.BlobWriteOutcome.Created, await replica.Writer.PutBlobAsync(repository, orphan, content));
        Assert.Equal(content, await registry.Driver.GetContentAsync(RegistryPaths.BlobData(orphan)));
    }

    private static async Task<Digests.Digest> PutOrphanAsync(CoreRegistry registry, string text)
    {
        var content = Encoding.UTF8.GetBytes(text);
        var digest = CoreRegistry.DigestOf(content);
        await registry.Writer.PutBlobAsync(CoreRegistry.Repository("gc/orphans"), digest, content);
        return digest;
    }

    /// <summary>Makes blobs look last written two hours ago, as if pushed long before the collection.</summary>
    private static void Age(CoreRegistry registry, params Digests.Digest[] digests)
    {
        foreach (var digest in digests)
        {
            File.SetLastWriteTimeUtc(registry.FileOf(RegistryPaths.BlobData(digest)), DateTime.UtcNow.AddHours(-2));
        }
    }
}
