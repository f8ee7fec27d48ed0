using System.Net;
using System.Net.Http.Headers;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>Issue 8, finding 1: the zero-length blob is a blob like any other, however a client pushes it.</summary>
public sealed class EmptyBlobTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string EmptyDigest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly HttpClient _client = registry.Client;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Empty_put_after_post_creates_the_empty_blob(bool sendContentLength)
    {
        var repository = Names.Repository();
        using var started = await _client.StartUploadAsync(repository);
        var location = _client.LocationOf(started);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + EmptyDigest));
        if (sendContentLength)
        {
            request.Content = new ByteArrayContent([]);
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertEmptyBlobAsync(repository);
    }

    [Fact]
    public async Task Empty_put_with_a_wrong_digest_is_DIGEST_INVALID_and_creates_nothing()
    {
        var repository = Names.Repository();
        using var started = await _client.StartUploadAsync(repository);
        var wrong = Digests.Unknown();

        using var response = await _client.CompleteUploadAsync(_client.LocationOf(started), wrong);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{wrong}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Zero_length_patch_then_empty_put_creates_the_empty_blob()
    {
        var repository = Names.Repository();
        using var started = await _client.StartUploadAsync(repository);
        var location = _client.LocationOf(started);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent([]) };
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var patched = await _client.SendAsync(patch);
        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);

        using var response = await _client.CompleteUploadAsync(_client.LocationOf(patched), EmptyDigest);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertEmptyBlobAsync(repository);
    }

    [Fact]
    public async Task Zero_length_chunk_between_two_chunks_changes_nothing()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(3000);
        using var started = await _client.StartUploadAsync(repository);
        using var first = await _client.PatchChunkAsync(_client.LocationOf(started), content[..1000], 0);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var emptyPatch = new HttpRequestMessage(HttpMethod.Patch, _client.LocationOf(first)) { Content = new ByteArrayContent([]) };
        using var empty = await _client.SendAsync(emptyPatch);
        Assert.Equal(HttpStatusCode.Accepted, empty.StatusCode);
        Assert.Equal("0-999", empty.Header("Range"));
        using var second = await _client.PatchChunkAsync(_client.LocationOf(empty), content[1000..], 1000);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        using var response = await _client.CompleteUploadAsync(_client.LocationOf(second), Digests.Sha256(content));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Upload_with_no_patch_and_the_whole_body_on_the_put_creates_the_blob()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(10);
        using var started = await _client.StartUploadAsync(repository);

        using var response = await _client.CompleteUploadAsync(_client.LocationOf(started), Digests.Sha256(content), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Monolithic_post_of_the_empty_blob_creates_it()
    {
        var repository = Names.Repository();

        using var response = await _client.PostAsync($"v2/{repository}/blobs/uploads/?digest={EmptyDigest}", new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertEmptyBlobAsync(repository);
    }

    [Fact]
    public async Task Empty_blob_mounts_into_another_repository()
    {
        var source = Names.Repository();
        using var pushed = await _client.PostAsync($"v2/{source}/blobs/uploads/?digest={EmptyDigest}", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        var target = Names.Repository();

        using var response = await _client.PostAsync($"v2/{target}/blobs/uploads/?mount={EmptyDigest}&from={source}", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertEmptyBlobAsync(target);
    }

    private async Task AssertEmptyBlobAsync(string repository)
    {
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{EmptyDigest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(0, head.Content.Headers.ContentLength);
        using var get = await _client.GetAsync($"v2/{repository}/blobs/{EmptyDigest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync());
    }
}
