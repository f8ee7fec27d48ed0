using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>storage.maintenance.readonly: pulls keep working, every write is 405 UNSUPPORTED.</summary>
public sealed class ReadOnlyTests
{
    [Fact]
    public async Task Read_only_registry_serves_existing_content_and_refuses_every_write()
    {
        using var store = new TemporaryStore();
        var repository = Names.Repository();
        TestImage image;
        string uploadPath;
        await using (var writable = await RegistryFixture.StartAsync(store: store))
        {
            image = await writable.Client.PushImageAsync(repository, "v1");
            using var session = await writable.Client.StartUploadAsync(repository);
            uploadPath = writable.Client.LocationOf(session).PathAndQuery;
        }

        await using var readOnly = await RegistryFixture.StartAsync(new RegistrySettings { ReadOnly = true, DeleteEnabled = true }, store);
        var client = readOnly.Client;
        var upload = new Uri(readOnly.BaseAddress, uploadPath);
        var blob = $"v2/{repository}/blobs/{image.Layers[0].Digest}";

        using var manifest = await client.GetManifestAsync(repository, "v1");
        using var layer = await client.GetAsync(blob);
        using var tags = await client.GetAsync($"v2/{repository}/tags/list");
        Assert.Equal(image.Manifest, await manifest.Content.ReadAsByteArrayAsync());
        Assert.Equal(image.Layers[0].Content, await layer.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, tags.StatusCode);

        var writes = new Func<Task<HttpResponseMessage>>[]
        {
            () => client.PostAsync($"v2/{repository}/blobs/uploads/", null),
            () => client.PostAsync($"v2/{repository}/blobs/uploads/?digest={Digests.Sha256([1])}", new ByteArrayContent([1])),
            () => client.PostAsync($"v2/{Names.Repository()}/blobs/uploads/?mount={image.Layers[0].Digest}&from={repository}", null),
            () => client.PatchChunkAsync(upload, [1, 2, 3], 0),
            () => client.CompleteUploadAsync(upload, Digests.Sha256([1]), [1]),
            () => client.DeleteAsync(upload),
            () => client.PutManifestAsync(repository, "v2", image.Manifest, image.MediaType),
            () => client.DeleteAsync($"v2/{repository}/manifests/{image.Digest}"),
            () => client.DeleteAsync($"v2/{repository}/manifests/v1"),
            () => client.DeleteAsync(blob),
        };
        foreach (var write in writes)
        {
            using var response = await write();
            await ErrorAssert.HasErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        }

        using var stillThere = await client.GetManifestAsync(repository, "v1");
        using var noNewTag = await client.GetManifestAsync(repository, "v2");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noNewTag.StatusCode);
    }
}
