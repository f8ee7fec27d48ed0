using System.Net;
using Berth.Core.Digests;
using Berth.Core.Storage;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// Issue 8, finding 4 (distribution#1803 in a new form): data removed behind the registry's back, as a garbage
/// collector or an operator removes it, is written again by the next push, whatever the registry remembered.
/// </summary>
public sealed class StaleCacheTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    public static TheoryData<string, int> Pushes => new()
    {
        { "monolithic", 2000 },
        { "put-with-body", 2000 },
        { "chunked", 2000 },
        { "chunked", 2 * 1024 * 1024 },
    };

    [Theory]
    [MemberData(nameof(Pushes))]
    public async Task Push_after_the_data_was_removed_writes_the_blob_again(string how, int size)
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(size);
        var digest = await _client.PushBlobAsync(repository, content);
        using (var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.True(await registry.Services.Driver.DeleteAsync(BlobData(digest)));

        await PushAsync(repository, content, how);

        Assert.Equal(size, (await registry.Services.Driver.StatAsync(BlobData(digest)))?.Size);
        using var get = await _client.GetAsync($"v2/{repository}/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Mount_of_a_blob_whose_data_was_removed_falls_back_to_an_upload()
    {
        var source = Names.Repository();
        var digest = await _client.PushBlobAsync(source, Digests.RandomBytes(500));
        using (var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{source}/blobs/{digest}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.True(await registry.Services.Driver.DeleteAsync(BlobData(digest)));

        using var response = await _client.PostAsync($"v2/{Names.Repository()}/blobs/uploads/?mount={digest}&from={source}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Manifest_push_after_its_data_was_removed_writes_it_again()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1");
        Assert.True(await registry.Services.Driver.DeleteAsync(BlobData(image.Digest)));

        using var put = await _client.PutManifestAsync(repository, "v1", image.Manifest, image.MediaType);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(image.Manifest.Length, (await registry.Services.Driver.StatAsync(BlobData(image.Digest)))?.Size);
    }

    [Fact]
    public async Task Manifest_whose_layer_data_was_removed_is_refused_even_right_after_a_head_said_it_exists()
    {
        var repository = Names.Repository();
        var image = await _client.PrepareImageAsync(repository, ImageFormat.Oci, layerCount: 1);
        var layer = image.Layers[0].Digest;
        using (var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{layer}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.True(await registry.Services.Driver.DeleteAsync(BlobData(layer)));

        using var put = await _client.PutManifestAsync(repository, "v1", image.Manifest, image.MediaType);

        await ErrorAssert.HasErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    private async Task PushAsync(string repository, byte[] content, string how)
    {
        var digest = Digests.Sha256(content);
        if (how == "monolithic")
        {
            await _client.PushBlobAsync(repository, content);
            return;
        }

        using var started = await _client.StartUploadAsync(repository);
        var location = _client.LocationOf(started);
        if (how == "chunked")
        {
            using var patched = await _client.PatchChunkAsync(location, content, 0);
            Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
            location = _client.LocationOf(patched);
        }

        using var completed = await _client.CompleteUploadAsync(location, digest, how == "put-with-body" ? content : null);
        Assert.Equal(HttpStatusCode.Created, completed.StatusCode);
    }

    private static string BlobData(string digest) =>
        RegistryPaths.BlobData(Digest.TryParse(digest, out var parsed) ? parsed : throw new ArgumentException(digest));
}
