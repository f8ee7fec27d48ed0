using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>registry:2's content negotiation on manifest GET (registry/handlers/manifests.go).</summary>
public sealed class AcceptNegotiationTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    [Fact]
    public async Task Oci_manifest_requested_with_only_docker_accept_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await _client.PushImageAsync(repository, "v1", ImageFormat.Oci);

        using var response = await _client.GetManifestAsync(repository, "v1", HttpMethod.Get, MediaType.DockerManifest);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Oci_index_requested_with_only_docker_accept_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await _client.PushIndexAsync(repository, "v1", ImageFormat.Oci);

        using var response = await _client.GetManifestAsync(repository, "v1", HttpMethod.Get, MediaType.DockerManifest, MediaType.DockerManifestList);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Manifest_list_by_tag_without_list_in_accept_returns_the_linux_amd64_image()
    {
        var repository = Names.Repository();
        var (_, _, amd64) = await _client.PushIndexAsync(repository, "multi", ImageFormat.Docker);

        using var response = await _client.GetManifestAsync(repository, "multi", HttpMethod.Get, MediaType.DockerManifest);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(amd64.Manifest, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(MediaType.DockerManifest, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(amd64.Digest, response.Header("Docker-Content-Digest"));
    }

    [Fact]
    public async Task Manifest_list_by_tag_with_list_in_accept_returns_the_list()
    {
        var repository = Names.Repository();
        var (list, _, _) = await _client.PushIndexAsync(repository, "multi", ImageFormat.Docker);

        using var response = await _client.GetManifestAsync(repository, "multi", HttpMethod.Get, MediaType.DockerManifest, MediaType.DockerManifestList);

        Assert.Equal(list.Manifest, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(MediaType.DockerManifestList, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Manifest_list_by_digest_is_returned_as_stored_whatever_the_accept()
    {
        var repository = Names.Repository();
        var (list, _, _) = await _client.PushIndexAsync(repository, null, ImageFormat.Docker);

        using var response = await _client.GetManifestAsync(repository, list.Digest, HttpMethod.Get, MediaType.DockerManifest);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(list.Manifest, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(list.Digest, response.Header("Docker-Content-Digest"));
    }

    [Fact]
    public async Task Docker_manifest_is_served_to_a_client_accepting_only_oci_and_docker_types_in_one_header()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1", ImageFormat.Docker);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/v1");

        // containerd sends one comma-separated Accept with q-values.
        request.Headers.TryAddWithoutValidation("Accept", $"{MediaType.OciManifest}, {MediaType.DockerManifest};q=0.9, */*;q=0.8");
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(image.Manifest, await response.Content.ReadAsByteArrayAsync());
    }
}
