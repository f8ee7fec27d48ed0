using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>Issue 8, finding 9: '$' in .NET matches before a final newline; no grammar may let "\n" through.</summary>
public sealed class TrailingNewlineTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    [Fact]
    public async Task Tag_with_a_trailing_newline_is_refused_and_never_listed()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1", layerCount: 1);

        var put = await RawHttp.SendAsync(registry.BaseAddress, "PUT", $"/v2/{repository}/manifests/nl%0A", image.Manifest);

        Assert.True(put.Status == 400 && put.Body.Contains("\"TAG_INVALID\"", StringComparison.Ordinal), $"{put.Status} {put.Body}");
        using var tags = await _client.GetAsync($"v2/{repository}/tags/list");
        Assert.DoesNotContain("nl", await tags.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repository_name_with_a_trailing_newline_is_NAME_INVALID()
    {
        var response = await RawHttp.SendAsync(registry.BaseAddress, "POST", "/v2/alice/app%0A/blobs/uploads/");

        Assert.True(response.Status == 400 && response.Body.Contains("\"NAME_INVALID\"", StringComparison.Ordinal), $"{response.Status} {response.Body}");
    }

    [Fact]
    public async Task Mount_from_a_name_with_a_trailing_newline_falls_back_to_an_upload()
    {
        var source = Names.Repository();
        var digest = await _client.PushBlobAsync(source, Digests.RandomBytes(100));

        using var response = await _client.PostAsync($"v2/{Names.Repository()}/blobs/uploads/?mount={digest}&from={source}%0A", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
