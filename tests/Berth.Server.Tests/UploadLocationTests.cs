using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>Clients follow the Location of every upload response as-is, whether absolute or relative.</summary>
public sealed class UploadLocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_completes_by_following_each_Location_as_given(bool relativeUrls)
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings { RelativeUrls = relativeUrls });
        var client = registry.Client;
        var repository = Names.Repository();
        var content = Digests.RandomBytes(20_000);
        var digest = Digests.Sha256(content);

        using var session = await client.StartUploadAsync(repository);
        AssertLocationStyle(session, relativeUrls);
        using var first = await client.PatchAsync(client.LocationOf(session), new ChunkedContent(content[..8000]));
        AssertLocationStyle(first, relativeUrls);
        using var status = await client.GetAsync(client.LocationOf(first));
        AssertLocationStyle(status, relativeUrls);
        using var second = await client.PatchChunkAsync(client.LocationOf(status), content[8000..], 8000);
        AssertLocationStyle(second, relativeUrls);
        using var done = await client.CompleteUploadAsync(client.LocationOf(second), digest);
        AssertLocationStyle(done, relativeUrls);
        using var blob = await client.GetAsync(client.LocationOf(done));

        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Location_uses_http_host_when_configured()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings { Host = "https://registry.example.test:8443" });
        var repository = Names.Repository();

        using var session = await registry.Client.StartUploadAsync(repository);
        var image = await registry.Client.PrepareImageAsync(repository);
        using var manifest = await registry.Client.PutManifestAsync(repository, "v1", image.Manifest, image.MediaType);

        Assert.StartsWith($"https://registry.example.test:8443/v2/{repository}/blobs/uploads/", session.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.StartsWith($"https://registry.example.test:8443/v2/{repository}/manifests/sha256:", manifest.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private static void AssertLocationStyle(HttpResponseMessage response, bool relative)
    {
        var location = response.Headers.Location;
        Assert.NotNull(location);
        Assert.Equal(!relative, location.IsAbsoluteUri);
        Assert.StartsWith(relative ? "/v2/" : "http://127.0.0.1:", location.ToString(), StringComparison.Ordinal);
    }
}
