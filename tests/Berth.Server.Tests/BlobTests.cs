using System.Net;
using System.Net.Http.Headers;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

public sealed class BlobTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    [Fact]
    public async Task Get_blob_returns_its_bytes_with_length_digest_and_etag()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(5000);
        var digest = await _client.PushBlobAsync(repository, content);

        using var response = await _client.GetAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Contains(digest, response.Headers.ETag?.Tag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_blob_returns_length_digest_and_etag_without_a_body()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(777);
        var digest = await _client.PushBlobAsync(repository, content);

        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(777, response.Content.Headers.ContentLength);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_blob_with_a_range_returns_206_and_exactly_that_slice()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(1000);
        var digest = await _client.PushBlobAsync(repository, content);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 100-199/1000", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Get_blob_with_an_unsatisfiable_range_returns_416()
    {
        var repository = Names.Repository();
        var digest = await _client.PushBlobAsync(repository, Digests.RandomBytes(100));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(500, 600);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Get_unknown_blob_returns_404_BLOB_UNKNOWN()
    {
        using var response = await _client.GetAsync($"v2/{Names.Repository()}/blobs/{Digests.Unknown()}");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Blob_pushed_to_one_repository_is_not_served_from_another()
    {
        var digest = await _client.PushBlobAsync(Names.Repository(), Digests.RandomBytes(64));

        using var response = await _client.GetAsync($"v2/{Names.Repository()}/blobs/{digest}");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_blob_returns_202_when_deletion_is_enabled_and_the_blob_is_gone()
    {
        var repository = Names.Repository();
        var digest = await _client.PushBlobAsync(repository, Digests.RandomBytes(64));

        using var deleted = await _client.DeleteAsync($"v2/{repository}/blobs/{digest}");
        using var after = await _client.GetAsync($"v2/{repository}/blobs/{digest}");
        using var again = await _client.DeleteAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ErrorAssert.HasErrorAsync(after, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        await ErrorAssert.HasErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_blob_returns_405_UNSUPPORTED_when_deletion_is_disabled_and_the_blob_stays()
    {
        await using var disabled = await RegistryFixture.StartAsync(new RegistrySettings { DeleteEnabled = false });
        var repository = Names.Repository();
        var digest = await disabled.Client.PushBlobAsync(repository, Digests.RandomBytes(64));

        using var response = await disabled.Client.DeleteAsync($"v2/{repository}/blobs/{digest}");
        using var after = await disabled.Client.GetAsync($"v2/{repository}/blobs/{digest}");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
