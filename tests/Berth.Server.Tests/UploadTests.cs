using System.Net;
using System.Net.Http.Headers;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

public sealed class UploadTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    [Fact]
    public async Task Post_starts_a_session_with_202_Location_uuid_and_range_0_0()
    {
        using var response = await _client.PostAsync($"v2/{Names.Repository()}/blobs/uploads/", null);

        SessionAssert.HasSessionHeaders(response, HttpStatusCode.Accepted, 0);
        Assert.Contains(response.Header("Docker-Upload-UUID"), response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monolithic_post_with_digest_returns_201_and_the_blob_is_readable()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(3000);
        var digest = Digests.Sha256(content);

        using var response = await _client.PostAsync($"v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        using var blob = await _client.GetAsync(_client.LocationOf(response));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Monolithic_post_with_a_wrong_digest_returns_400_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(300);
        var claimed = Digests.Unknown();

        using var response = await _client.PostAsync($"v2/{repository}/blobs/uploads/?digest={claimed}", new ByteArrayContent(content));

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertBlobAbsentAsync(repository, claimed);
        await AssertBlobAbsentAsync(repository, Digests.Sha256(content));
    }

    [Fact]
    public async Task Mount_from_a_repository_that_has_the_blob_returns_201_and_links_it()
    {
        var source = Names.Repository();
        var target = Names.Repository();
        var content = Digests.RandomBytes(500);
        var digest = await _client.PushBlobAsync(source, content);

        using var response = await _client.PostAsync($"v2/{target}/blobs/uploads/?mount={digest}&from={source}", null);
        using var blob = await _client.GetAsync($"v2/{target}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(digest, response.Header("Docker-Content-Digest"));
        Assert.EndsWith($"/v2/{target}/blobs/{digest}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Mount_from_a_repository_without_the_blob_falls_back_to_a_202_session()
    {
        var holder = Names.Repository();
        var digest = await _client.PushBlobAsync(holder, Digests.RandomBytes(500));
        var target = Names.Repository();

        // The blob exists in the store, but not in the repository named in from=.
        using var response = await _client.PostAsync($"v2/{target}/blobs/uploads/?mount={digest}&from={Names.Repository()}", null);
        using var blob = await _client.GetAsync($"v2/{target}/blobs/{digest}");

        SessionAssert.HasSessionHeaders(response, HttpStatusCode.Accepted, 0);
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
    }

    [Fact]
    public async Task Patch_chunks_in_order_then_put_returns_201_with_the_digest()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(30_000);
        var digest = Digests.Sha256(content);
        using var session = await _client.StartUploadAsync(repository);

        using var first = await _client.PatchChunkAsync(_client.LocationOf(session), content[..10_000], 0);
        SessionAssert.HasSessionHeaders(first, HttpStatusCode.Accepted, 10_000);
        using var second = await _client.PatchChunkAsync(_client.LocationOf(first), content[10_000..], 10_000);
        SessionAssert.HasSessionHeaders(second, HttpStatusCode.Accepted, 30_000);
        using var done = await _client.CompleteUploadAsync(_client.LocationOf(second), digest);
        using var blob = await _client.GetAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(digest, done.Header("Docker-Content-Digest"));
        Assert.NotNull(done.Headers.Location);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Patch_out_of_order_chunk_returns_416()
    {
        var content = Digests.RandomBytes(300);
        using var session = await _client.StartUploadAsync(Names.Repository());
        var location = _client.LocationOf(session);
        (await _client.PatchChunkAsync(location, content[..100], 0)).Dispose();

        using var gap = await _client.PatchChunkAsync(location, content[200..], 200);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, gap.StatusCode);
        await AssertReceivedAsync(location, 100);
    }

    [Fact]
    public async Task Patch_overlapping_chunk_returns_416_and_the_session_continues()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(300);
        using var session = await _client.StartUploadAsync(repository);
        var location = _client.LocationOf(session);
        (await _client.PatchChunkAsync(location, content[..100], 0)).Dispose();

        using var overlap = await _client.PatchChunkAsync(location, content[50..150], 50);
        using var repeat = await _client.PatchChunkAsync(location, content[..100], 0);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, overlap.StatusCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, repeat.StatusCode);
        await AssertReceivedAsync(location, 100);

        // A refused chunk wrote nothing: the rest still completes to the right digest.
        (await _client.PatchChunkAsync(location, content[100..], 100)).Dispose();
        using var done = await _client.CompleteUploadAsync(location, Digests.Sha256(content));
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
    }

    [Fact]
    public async Task Patch_with_chunked_transfer_encoding_and_no_content_range_appends_the_stream()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(100_000);
        var digest = Digests.Sha256(content);
        using var session = await _client.StartUploadAsync(repository);

        using var first = await _client.PatchAsync(_client.LocationOf(session), new ChunkedContent(content[..60_000]));
        SessionAssert.HasSessionHeaders(first, HttpStatusCode.Accepted, 60_000);
        using var second = await _client.PatchAsync(_client.LocationOf(first), new ChunkedContent(content[60_000..]));
        SessionAssert.HasSessionHeaders(second, HttpStatusCode.Accepted, 100_000);
        using var done = await _client.CompleteUploadAsync(_client.LocationOf(second), digest);
        using var blob = await _client.GetAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_on_an_upload_returns_204_with_the_range_received()
    {
        using var session = await _client.StartUploadAsync(Names.Repository());
        var location = _client.LocationOf(session);
        (await _client.PatchChunkAsync(location, Digests.RandomBytes(1234), 0)).Dispose();

        using var status = await _client.GetAsync(location);

        SessionAssert.HasSessionHeaders(status, HttpStatusCode.NoContent, 1234);
    }

    [Fact]
    public async Task Put_with_the_whole_blob_as_final_chunk_returns_201()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(4000);
        var digest = Digests.Sha256(content);
        using var session = await _client.StartUploadAsync(repository);

        using var done = await _client.CompleteUploadAsync(_client.LocationOf(session), digest, content);
        using var blob = await _client.GetAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(digest, done.Header("Docker-Content-Digest"));
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_with_a_final_chunk_after_patches_returns_201()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(4000);
        var digest = Digests.Sha256(content);
        using var session = await _client.StartUploadAsync(repository);
        using var patched = await _client.PatchChunkAsync(_client.LocationOf(session), content[..2500], 0);

        using var done = await _client.CompleteUploadAsync(_client.LocationOf(patched), digest, content[2500..]);
        using var blob = await _client.GetAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_with_a_wrong_digest_returns_400_DIGEST_INVALID_and_nothing_is_visible()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(4000);
        var wrong = Digests.Unknown();
        using var session = await _client.StartUploadAsync(repository);
        var location = _client.LocationOf(session);
        (await _client.PatchChunkAsync(location, content, 0)).Dispose();

        using var done = await _client.CompleteUploadAsync(location, wrong);

        await ErrorAssert.HasErrorAsync(done, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertBlobAbsentAsync(repository, wrong);
        await AssertBlobAbsentAsync(repository, Digests.Sha256(content));
        Assert.False(File.Exists(registry.Store.BlobDataPath(Digests.Sha256(content))), "unverified bytes reached the blob store");
        Assert.False(File.Exists(registry.Store.BlobDataPath(wrong)), "unverified bytes reached the blob store");
    }

    [Fact]
    public async Task Delete_upload_returns_204_and_the_session_is_then_unknown()
    {
        using var session = await _client.StartUploadAsync(Names.Repository());
        var location = _client.LocationOf(session);
        (await _client.PatchChunkAsync(location, Digests.RandomBytes(10), 0)).Dispose();

        using var cancelled = await _client.DeleteAsync(location);
        using var status = await _client.GetAsync(location);
        using var patch = await _client.PatchChunkAsync(location, Digests.RandomBytes(10), 10);
        using var again = await _client.DeleteAsync(location);

        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        await ErrorAssert.HasErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Patch_whose_content_range_disagrees_with_its_length_is_refused_and_writes_nothing()
    {
        using var session = await _client.StartUploadAsync(Names.Repository());
        var location = _client.LocationOf(session);
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(Digests.RandomBytes(50)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", "0-99");

        using var response = await _client.SendAsync(request);

        Assert.True((int)response.StatusCode is 400 or 416, $"got {(int)response.StatusCode}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        await AssertReceivedAsync(location, 0);
    }

    [Fact]
    public async Task Session_of_one_repository_is_unknown_under_another()
    {
        using var session = await _client.StartUploadAsync(Names.Repository());
        var id = session.Header("Docker-Upload-UUID");

        using var status = await _client.GetAsync($"v2/{Names.Repository()}/blobs/uploads/{id}");
        using var patch = await _client.PatchAsync($"v2/{Names.Repository()}/blobs/uploads/{id}", new ChunkedContent([1, 2, 3]));

        await ErrorAssert.HasErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await ErrorAssert.HasErrorAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Unknown_upload_id_returns_404_BLOB_UPLOAD_UNKNOWN()
    {
        using var response = await _client.GetAsync($"v2/{Names.Repository()}/blobs/uploads/{Guid.NewGuid()}");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Completed_upload_is_no_longer_a_session()
    {
        var content = Digests.RandomBytes(10);
        using var session = await _client.StartUploadAsync(Names.Repository());
        var location = _client.LocationOf(session);
        (await _client.CompleteUploadAsync(location, Digests.Sha256(content), content)).Dispose();

        using var status = await _client.GetAsync(location);

        await ErrorAssert.HasErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Pushing_an_existing_blob_again_succeeds()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(100);
        await _client.PushBlobAsync(repository, content);

        var digest = await _client.PushBlobAsync(repository, content);
        using var session = await _client.StartUploadAsync(repository);
        using var done = await _client.CompleteUploadAsync(_client.LocationOf(session), digest, content);

        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
    }

    [Fact]
    public async Task Zero_length_blob_can_be_pushed_and_read()
    {
        var repository = Names.Repository();
        var digest = await _client.PushBlobAsync(repository, []);

        using var response = await _client.GetAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    private async Task AssertReceivedAsync(Uri location, long received)
    {
        using var status = await _client.GetAsync(location);
        SessionAssert.HasSessionHeaders(status, HttpStatusCode.NoContent, received);
    }

    private async Task AssertBlobAbsentAsync(string repository, string digest)
    {
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }
}
