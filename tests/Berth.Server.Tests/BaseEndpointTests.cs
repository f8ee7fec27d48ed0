using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

public sealed class BaseEndpointTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string ApiVersion = "Docker-Distribution-API-Version";

    [Fact]
    public async Task Get_v2_returns_200_with_the_api_version_header()
    {
        using var response = await registry.Client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Header(ApiVersion));
    }

    [Fact]
    public async Task Every_response_of_a_push_and_pull_carries_the_api_version_header_including_errors()
    {
        var client = registry.Client;
        var repository = Names.Repository();
        var image = await client.PushImageAsync(repository, "v1");
        using var session = await client.StartUploadAsync(repository);
        var location = client.LocationOf(session);
        (await client.PatchChunkAsync(location, [1, 2, 3], 0)).Dispose();
        (await client.GetAsync(location)).Dispose();
        (await client.PatchChunkAsync(location, [4], 10)).Dispose(); // 416
        (await client.DeleteAsync(location)).Dispose();
        (await client.GetAsync(location)).Dispose(); // 404 BLOB_UPLOAD_UNKNOWN
        (await client.GetManifestAsync(repository, "v1")).Dispose();
        (await client.GetManifestAsync(repository, "v1", HttpMethod.Head)).Dispose();
        (await client.GetManifestAsync(repository, "missing")).Dispose(); // 404
        (await client.GetManifestAsync(repository, "missing", HttpMethod.Head)).Dispose(); // 404, no body
        (await client.GetAsync($"v2/{repository}/blobs/{image.Layers[0].Digest}")).Dispose();
        (await client.GetAsync($"v2/{repository}/blobs/{Digests.Unknown()}")).Dispose(); // 404
        (await client.GetAsync($"v2/{repository}/blobs/sha256:abc")).Dispose(); // 400
        (await client.GetAsync("v2/UPPER/tags/list")).Dispose(); // 400
        (await client.GetAsync("v2/no/such/repository/tags/list")).Dispose(); // 404
        (await client.GetAsync($"v2/{repository}/tags/list")).Dispose();
        (await client.GetAsync("v2/_catalog")).Dispose();
        (await client.PostAsync("v2/", null)).Dispose(); // 405
        (await client.GetAsync("v2/not-an-endpoint")).Dispose(); // 404

        var responses = registry.Recorder.Responses;
        Assert.Contains(responses, r => (int)r.Status == 416);
        Assert.Contains(responses, r => r.Status == HttpStatusCode.BadRequest);
        Assert.Contains(responses, r => r.Status == HttpStatusCode.MethodNotAllowed);
        Assert.All(responses, r => Assert.True(
            r.Headers.TryGetValues(ApiVersion, out var values) && values.Single() == "registry/2.0",
            $"{r.Method} {r.Uri} answered {(int)r.Status} without {ApiVersion}"));
    }

    [Fact]
    public async Task Unknown_endpoint_under_v2_returns_404_with_a_json_error()
    {
        using var response = await registry.Client.GetAsync("v2/not-an-endpoint");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
