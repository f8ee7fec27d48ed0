using System.Text;
using Berth.Core.Blobs;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;
using Berth.Core.Writes;

namespace Berth.Core.Tests.Writes;

public sealed class RegistryWriterTests : IDisposable
{
    private static readonly Names.RepositoryName App = CoreRegistry.Repository("team/app");
    private static readonly Names.RepositoryName Other = CoreRegistry.Repository("team/other");
    private readonly CoreRegistry _registry = CoreRegistry.Create();

    public void Dispose() => _registry.Dispose();

    [Fact]
    public async Task Putting_a_blob_reports_created_then_already_existed()
    {
        var content = "blob bytes"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);

        Assert.Equal(BlobWriteOutcome.Created, await _registry.Writer.PutBlobAsync(App, digest, content));
        Assert.Equal(BlobWriteOutcome.AlreadyExisted, await _registry.Writer.PutBlobAsync(App, digest, content));
        Assert.Equal(BlobWriteOutcome.AlreadyExisted, await _registry.Writer.PutBlobAsync(Other, digest, content));

        Assert.Equal(
            [(App, true), (App, false), (Other, false)],
            _registry.Events.Events.OfType<BlobCommitted>().Select(e => (e.Repository, e.Created)));
        Assert.All(_registry.Events.Events.OfType<BlobCommitted>(), e => Assert.Equal((digest, content.Length), (e.Digest, (int)e.Size)));
    }

    [Fact]
    public async Task Committing_an_upload_moves_its_data_once_and_then_only_links()
    {
        var content = "uploaded bytes"u8.ToArray();
        var blob = new BlobDescriptor(CoreRegistry.DigestOf(content), content.Length);
        await _registry.Driver.PutContentAsync("/scratch/one", content);
        await _registry.Driver.PutContentAsync("/scratch/two", content);

        Assert.Equal(BlobWriteOutcome.Created, await _registry.Writer.CommitUploadAsync(App, "/scratch/one", blob));
        Assert.Equal(BlobWriteOutcome.AlreadyExisted, await _registry.Writer.CommitUploadAsync(Other, "/scratch/two", blob));

        Assert.Equal(content, await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(blob.Digest))));
        Assert.False(File.Exists(_registry.FileOf("/scratch/one")));
        Assert.True(await _registry.Blobs.IsLayerLinkedAsync(App, blob.Digest));
        Assert.True(await _registry.Blobs.IsLayerLinkedAsync(Other, blob.Digest));
        Assert.Equal([true, false], _registry.Events.Events.OfType<BlobCommitted>().Select(e => e.Created));
    }

    [Fact]
    public async Task A_blob_whose_data_was_deleted_behind_the_cache_is_written_again()
    {
        var content = "collected later"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);
        await _registry.Writer.PutBlobAsync(App, digest, content);

        // The cache now believes the blob exists for its time to live.
        Assert.NotNull(await _registry.Blobs.StatDataAsync(digest));
        File.Delete(_registry.FileOf(RegistryPaths.BlobData(digest)));

        Assert.Equal(BlobWriteOutcome.Created, await _registry.Writer.PutBlobAsync(App, digest, content));
        Assert.Equal(content, await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(digest))));
    }

    [Fact]
    public async Task An_upload_whose_blob_data_was_deleted_behind_the_cache_is_moved_in_again()
    {
        var content = "collected later"u8.ToArray();
        var blob = new BlobDescriptor(CoreRegistry.DigestOf(content), content.Length);
        await _registry.Writer.PutBlobAsync(App, blob.Digest, content);
        Assert.NotNull(await _registry.Blobs.StatDataAsync(blob.Digest));
        File.Delete(_registry.FileOf(RegistryPaths.BlobData(blob.Digest)));
        await _registry.Driver.PutContentAsync("/scratch/again", content);

        Assert.Equal(BlobWriteOutcome.Created, await _registry.Writer.CommitUploadAsync(App, "/scratch/again", blob));
        Assert.Equal(content, await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(blob.Digest))));
    }

    [Fact]
    public async Task Blobs_and_links_are_written_in_registry2_layout()
    {
        var content = "layout"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);
        var hex = digest.Encoded;

        await _registry.Writer.PutBlobAsync(App, digest, content);

        var data = Path.Combine(_registry.Root, "docker/registry/v2/blobs/sha256", hex[..2], hex, "data");
        var link = Path.Combine(_registry.Root, "docker/registry/v2/repositories/team/app/_layers/sha256", hex, "link");
        Assert.Equal(content, await File.ReadAllBytesAsync(data));

        // registry:2 writes the digest as ASCII with no trailing newline.
        Assert.Equal(Encoding.ASCII.GetBytes(digest.Value), await File.ReadAllBytesAsync(link));
    }

    [Fact]
    public async Task A_manifest_pushed_by_tag_is_written_in_registry2_layout()
    {
        var (digest, content) = await _registry.PushImageAsync(App, "v1");
        var hex = digest.Encoded;
        var repository = Path.Combine(_registry.Root, "docker/registry/v2/repositories/team/app/_manifests");

        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_registry.Root, "docker/registry/v2/blobs/sha256", hex[..2], hex, "data")));
        Assert.Equal(digest.Value, await File.ReadAllTextAsync(Path.Combine(repository, "revisions/sha256", hex, "link")));
        Assert.Equal(digest.Value, await File.ReadAllTextAsync(Path.Combine(repository, "tags/v1/current/link")));
        Assert.Equal(digest.Value, await File.ReadAllTextAsync(Path.Combine(repository, "tags/v1/index/sha256", hex, "link")));
    }

    [Fact]
    public async Task A_manifest_with_a_subject_gets_a_referrer_link()
    {
        var (subject, _) = await _registry.PushImageAsync(App, tag: null);
        var config = "{}"u8.ToArray();
        var layer = "layer"u8.ToArray();
        var referrer = Samples.OciManifest(CoreRegistry.DigestOf(config), config.Length, CoreRegistry.DigestOf(layer), layer.Length, subject);

        var outcome = await _registry.Manifests.PutAsync(App, tag: null, expectedDigest: null, referrer, MediaTypes.OciManifest);

        Assert.Null(outcome.Error);
        var link = _registry.FileOf(RegistryPaths.ReferrerLink(App, subject, outcome.Digest!));
        Assert.Equal(outcome.Digest!.Value, await File.ReadAllTextAsync(link));
        Assert.Equal(subject, _registry.Events.Events.OfType<ManifestPushed>().Last().Subject);
    }

    [Fact]
    public async Task A_pushed_manifest_is_announced_with_the_blobs_it_keeps_alive()
    {
        var (digest, content) = await _registry.PushImageAsync(App, "v1");

        var pushed = Assert.Single(_registry.Events.Events.OfType<ManifestPushed>());
        Assert.Equal((App, digest, MediaTypes.OciManifest, content.Length, "v1", true), (pushed.Repository, pushed.Digest, pushed.MediaType, (int)pushed.Size, pushed.Tag, pushed.Created));
        Assert.Equal([CoreRegistry.DigestOf("{}"u8.ToArray()), CoreRegistry.DigestOf("layer"u8.ToArray())], pushed.References);
        Assert.Equal(_registry.Time.GetUtcNow(), pushed.Timestamp);
    }

    [Fact]
    public async Task Tagging_writes_the_tag_index_link_before_the_current_link()
    {
        RecordingStorageDriver? recorder = null;
        using var registry = CoreRegistry.Create(driver => recorder = new RecordingStorageDriver(driver));
        var (first, _) = await registry.PushImageAsync(App, tag: null, "first");
        var (second, _) = await registry.PushImageAsync(App, tag: null, "second");
        var start = recorder!.Writes.Count;

        await registry.Writer.TagAsync(App, "v1", first);
        await registry.Writer.TagAsync(App, "v1", second);

        Assert.Equal(
            [
                "put " + RegistryPaths.TagIndexLink(App, "v1", first),
                "put " + RegistryPaths.TagCurrentLink(App, "v1"),
                "put " + RegistryPaths.TagIndexLink(App, "v1", second),
                "put " + RegistryPaths.TagCurrentLink(App, "v1"),
            ],
            recorder.Writes.Skip(start));
    }

    [Fact]
    public async Task Moving_a_tag_raises_tag_moved_with_the_previous_digest()
    {
        var (first, _) = await _registry.PushImageAsync(App, tag: null, "first");
        var (second, _) = await _registry.PushImageAsync(App, tag: null, "second");
        _registry.Events.Clear();

        await _registry.Writer.TagAsync(App, "v1", first);
        await _registry.Writer.TagAsync(App, "v1", second);

        var moves = _registry.Events.Events.Cast<TagMoved>().ToList();
        Assert.Equal([("v1", first, (Core.Digests.Digest?)null), ("v1", second, first)], moves.Select(m => (m.Tag, m.Digest, m.Previous)));
        Assert.Equal(second, await _registry.Tags.ResolveAsync(App, "v1"));

        // The index keeps every digest the tag has held, as registry:2's does.
        Assert.True(File.Exists(_registry.FileOf(RegistryPaths.TagIndexLink(App, "v1", first))));
    }

    [Fact]
    public async Task Tagging_with_the_digest_the_tag_already_holds_raises_nothing()
    {
        var (digest, _) = await _registry.PushImageAsync(App, "v1");
        _registry.Events.Clear();

        await _registry.Writer.TagAsync(App, "v1", digest);

        Assert.Empty(_registry.Events.Events);
    }

    [Fact]
    public async Task Deleting_a_manifest_deletes_the_tags_pointing_at_it_and_raises_tag_deleted_then_manifest_deleted()
    {
        var (doomed, _) = await _registry.PushImageAsync(App, "v1", "doomed");
        await _registry.Writer.TagAsync(App, "latest", doomed);
        var (kept, _) = await _registry.PushImageAsync(App, "v2", "kept");
        _registry.Events.Clear();

        Assert.True(await _registry.Writer.DeleteManifestAsync(App, doomed, subject: null));

        var events = _registry.Events.Events;
        Assert.Equal(
            [typeof(TagDeleted), typeof(TagDeleted), typeof(ManifestDeleted)],
            events.Select(e => e.GetType()));
        Assert.Equal(["latest", "v1"], events.OfType<TagDeleted>().Select(e => e.Tag).Order(StringComparer.Ordinal));
        Assert.All(events.OfType<TagDeleted>(), e => Assert.Equal(doomed, e.Digest));
        Assert.Equal(doomed, Assert.IsType<ManifestDeleted>(events[^1]).Digest);

        Assert.Null(await _registry.Tags.ResolveAsync(App, "v1"));
        Assert.Null(await _registry.Tags.ResolveAsync(App, "latest"));
        Assert.False(Directory.Exists(_registry.FileOf(RegistryPaths.Tag(App, "v1"))));
        Assert.False(Directory.Exists(_registry.FileOf(RegistryPaths.ManifestRevision(App, doomed))));
        Assert.Null(await _registry.Manifests.GetAsync(App, doomed));
        Assert.Equal(["v2"], await _registry.Tags.ListAsync(App));
        Assert.Equal(kept, await _registry.Tags.ResolveAsync(App, "v2"));
    }

    [Fact]
    public async Task Deleting_a_manifest_that_is_not_there_reports_false_and_raises_nothing()
    {
        var (digest, _) = await _registry.PushImageAsync(App, tag: null);
        _registry.Events.Clear();

        Assert.False(await _registry.Writer.DeleteManifestAsync(Other, digest, subject: null));
        Assert.Empty(_registry.Events.Events);
        Assert.NotNull(await _registry.Manifests.GetAsync(App, digest));
    }

    [Fact]
    public async Task Deleting_a_referrer_removes_its_referrer_link()
    {
        var (subject, _) = await _registry.PushImageAsync(App, tag: null);
        var config = "{}"u8.ToArray();
        var layer = "layer"u8.ToArray();
        var referrer = Samples.OciManifest(CoreRegistry.DigestOf(config), config.Length, CoreRegistry.DigestOf(layer), layer.Length, subject);
        var digest = (await _registry.Manifests.PutAsync(App, null, null, referrer, MediaTypes.OciManifest)).Digest!;

        Assert.True(await _registry.Manifests.DeleteAsync(App, digest));

        Assert.False(File.Exists(_registry.FileOf(RegistryPaths.ReferrerLink(App, subject, digest))));
    }

    [Fact]
    public async Task Unlinking_a_blob_removes_the_repository_link_keeps_the_data_and_raises_blob_deleted()
    {
        var content = "unlink me"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);
        await _registry.Writer.PutBlobAsync(App, digest, content);
        await _registry.Writer.PutBlobAsync(Other, digest, content);
        Assert.NotNull(await _registry.Blobs.StatAsync(App, digest));
        _registry.Events.Clear();

        Assert.True(await _registry.Writer.UnlinkBlobAsync(App, digest));

        Assert.Equal(digest, Assert.IsType<BlobDeleted>(Assert.Single(_registry.Events.Events)).Digest);
        Assert.Null(await _registry.Blobs.StatAsync(App, digest));
        Assert.False(Directory.Exists(Path.GetDirectoryName(_registry.FileOf(RegistryPaths.LayerLink(App, digest)))));
        Assert.True(File.Exists(_registry.FileOf(RegistryPaths.BlobData(digest))));
        Assert.NotNull(await _registry.Blobs.StatAsync(Other, digest));
    }

    [Fact]
    public async Task Unlinking_a_blob_the_repository_does_not_have_reports_false_and_raises_nothing()
    {
        var content = "elsewhere"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);
        await _registry.Writer.PutBlobAsync(Other, digest, content);
        _registry.Events.Clear();

        Assert.False(await _registry.Writer.UnlinkBlobAsync(App, digest));
        Assert.True(await _registry.Writer.UnlinkBlobAsync(Other, digest));
        Assert.False(await _registry.Writer.UnlinkBlobAsync(Other, digest));

        Assert.Single(_registry.Events.Events);
    }

    [Fact]
    public async Task Mounting_a_blob_links_it_and_raises_blob_mounted()
    {
        var content = "shared"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);
        await _registry.Writer.PutBlobAsync(Other, digest, content);
        _registry.Events.Clear();

        var mounted = await _registry.Uploads.MountAsync(App, Other, digest);

        Assert.Equal(new BlobDescriptor(digest, content.Length), mounted);
        Assert.True(await _registry.Blobs.IsLayerLinkedAsync(App, digest));
        var e = Assert.IsType<BlobMounted>(Assert.Single(_registry.Events.Events));
        Assert.Equal((App, Other, digest), (e.Repository, e.From, e.Digest));
    }
}
