using System.Text;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Manifests;

public sealed class ManifestStoreTests : IDisposable
{
    private static readonly Names.RepositoryName App = CoreRegistry.Repository("app");
    private static readonly Names.RepositoryName Other = CoreRegistry.Repository("other");
    private readonly CoreRegistry _registry = CoreRegistry.Create();

    public void Dispose() => _registry.Dispose();

    [Fact]
    public async Task A_pushed_manifest_is_returned_byte_for_byte_with_its_media_type()
    {
        var (digest, content) = await _registry.PushImageAsync(App, "v1");

        var stored = await _registry.Manifests.GetAsync(App, digest);

        Assert.Equal(content, stored!.Content);
        Assert.Equal(MediaTypes.OciManifest, stored.MediaType);
        Assert.Equal(digest, await _registry.Manifests.ResolveAsync(App, "v1"));
        Assert.Equal(digest, await _registry.Manifests.ResolveAsync(App, digest.Value));
    }

    [Fact]
    public async Task A_manifest_stored_only_in_another_repository_is_not_returned()
    {
        var (digest, _) = await _registry.PushImageAsync(Other, "v1");
        Assert.NotNull(await _registry.Manifests.GetAsync(Other, digest));

        Assert.Null(await _registry.Manifests.GetAsync(App, digest));
        Assert.Null(await _registry.Manifests.ResolveAsync(App, digest.Value));
        Assert.Null(await _registry.Manifests.ResolveAsync(App, "v1"));
    }

    [Fact]
    public async Task A_cached_manifest_is_not_returned_once_its_revision_is_deleted()
    {
        var (digest, _) = await _registry.PushImageAsync(App, "v1");
        Assert.NotNull(await _registry.Manifests.GetAsync(App, digest));
        Assert.True(_registry.Cache.TryGetContent(digest, out _));

        Assert.True(await _registry.Manifests.DeleteAsync(App, digest));

        Assert.Null(await _registry.Manifests.GetAsync(App, digest));
        Assert.False(await _registry.Manifests.DeleteAsync(App, digest));
    }

    [Fact]
    public async Task Any_blob_a_revision_link_names_is_not_served_as_a_manifest_when_it_is_larger_than_4_MiB()
    {
        // A revision link written by hand or another tool that names a large blob must not pull it into memory.
        var content = Padded(ManifestStore.MaxManifestBytes + 1);
        var digest = await LinkRevisionByHandAsync(content);

        Assert.Null(await _registry.Manifests.GetAsync(App, digest));
    }

    [Fact]
    public async Task A_manifest_of_exactly_4_MiB_is_served()
    {
        var content = Padded(ManifestStore.MaxManifestBytes);
        var digest = await LinkRevisionByHandAsync(content);

        var stored = await _registry.Manifests.GetAsync(App, digest);

        Assert.Equal(content.Length, stored!.Content.Length);
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_the_linked_digest_are_not_served()
    {
        var (digest, content) = await _registry.PushImageAsync(App, tag: null);
        await File.WriteAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(digest)), [.. content, .. " "u8.ToArray()]);

        Assert.Null(await _registry.Manifests.GetAsync(App, digest));
    }

    [Fact]
    public async Task A_linked_document_with_a_duplicate_key_is_not_served()
    {
        var content = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"manifests":[],"manifests":[]}""");
        var digest = await LinkRevisionByHandAsync(content);

        Assert.Null(await _registry.Manifests.GetAsync(App, digest));
    }

    [Fact]
    public async Task A_linked_document_declaring_html_is_served_as_its_shape()
    {
        var content = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"text/html","manifests":[]}""");
        var digest = await LinkRevisionByHandAsync(content);

        Assert.Equal(MediaTypes.OciIndex, (await _registry.Manifests.GetAsync(App, digest))!.MediaType);
    }

    [Fact]
    public async Task A_manifest_whose_blobs_are_only_in_another_repository_is_refused()
    {
        var config = "{}"u8.ToArray();
        var layer = "layer"u8.ToArray();
        await _registry.Writer.PutBlobAsync(Other, CoreRegistry.DigestOf(config), config);
        await _registry.Writer.PutBlobAsync(Other, CoreRegistry.DigestOf(layer), layer);
        var content = Samples.OciManifest(CoreRegistry.DigestOf(config), config.Length, CoreRegistry.DigestOf(layer), layer.Length);

        var outcome = await _registry.Manifests.PutAsync(App, "v1", null, content, MediaTypes.OciManifest);

        Assert.Equal(ErrorCode.ManifestBlobUnknown, outcome.Error!.Code);
        Assert.Null(await _registry.Tags.ResolveAsync(App, "v1"));
        Assert.Null(await _registry.Blobs.StatDataInStoreAsync(CoreRegistry.DigestOf(content)));
        Assert.DoesNotContain(_registry.Events.Events, e => e.Repository.Equals(App));
    }

    [Fact]
    public async Task An_index_whose_children_are_not_in_the_repository_is_refused()
    {
        var (child, _) = await _registry.PushImageAsync(Other, tag: null);
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{child}}","size":1}]}""");

        Assert.Equal(ErrorCode.ManifestBlobUnknown, (await _registry.Manifests.PutAsync(App, null, null, index, MediaTypes.OciIndex)).Error!.Code);
        Assert.Null((await _registry.Manifests.PutAsync(Other, null, null, index, MediaTypes.OciIndex)).Error);
    }

    [Fact]
    public async Task A_manifest_put_by_a_digest_it_does_not_have_is_refused()
    {
        var (_, content) = await _registry.PushImageAsync(App, tag: null);
        var wrong = CoreRegistry.DigestOf("something else"u8.ToArray());

        var outcome = await _registry.Manifests.PutAsync(App, null, wrong, content, MediaTypes.OciManifest);

        Assert.Equal(ErrorCode.DigestInvalid, outcome.Error!.Code);
        Assert.Null(await _registry.Manifests.GetAsync(App, wrong));
    }

    [Fact]
    public async Task An_invalid_manifest_is_refused_and_nothing_is_written()
    {
        var content = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"schemaVersion":2,"manifests":[]}""");

        var outcome = await _registry.Manifests.PutAsync(App, "v1", null, content, MediaTypes.OciIndex);

        Assert.Equal(ErrorCode.ManifestInvalid, outcome.Error!.Code);
        Assert.False(Directory.Exists(_registry.FileOf(RegistryPaths.Repository(App))));
        Assert.Empty(_registry.Events.Events);
    }

    private async Task<Core.Digests.Digest> LinkRevisionByHandAsync(byte[] content)
    {
        var digest = CoreRegistry.DigestOf(content);
        await _registry.Driver.PutContentAsync(RegistryPaths.BlobData(digest), content);
        await _registry.Driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(App, digest), Encoding.ASCII.GetBytes(digest.Value));
        return digest;
    }

    /// <summary>A valid empty OCI index padded with whitespace to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] Padded(int length)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[]}""");
        var content = new byte[length];
        content.AsSpan().Fill((byte)' ');
        json.CopyTo(content, 0);
        return content;
    }
}
