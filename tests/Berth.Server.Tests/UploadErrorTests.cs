using System.Net;
using System.Net.Http.Headers;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>Issue 8, finding 5: an error answer leaves the upload exactly as it was.</summary>
public sealed class UploadErrorTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    [Fact]
    public async Task Chunk_shorter_than_its_content_range_is_SIZE_INVALID_and_not_kept()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(3000);
        using var started = await _client.StartUploadAsync(repository);
        using var first = await _client.PatchChunkAsync(_client.LocationOf(started), content[..1000], 0);
        var location = _client.LocationOf(first);

        // Content-Range promises 1000 bytes; a chunked body delivers 500.
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StreamContent(new MemoryStream(content[1000..1500])) };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.TryAddWithoutValidation("Content-Range", "1000-1999");
        using var bad = await _client.SendAsync(request);

        await ErrorAssert.HasErrorAsync(bad, HttpStatusCode.BadRequest, "SIZE_INVALID");
        using var status = await _client.GetAsync(location);
        Assert.Equal("0-999", status.Header("Range"));
        using var second = await _client.PatchChunkAsync(location, content[1000..], 1000);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        using var completed = await _client.CompleteUploadAsync(_client.LocationOf(second), Digests.Sha256(content));
        Assert.Equal(HttpStatusCode.Created, completed.StatusCode);
    }

    [Fact]
    public async Task Chunk_whose_content_length_disagrees_with_its_content_range_is_refused_before_any_byte_is_kept()
    {
        var repository = Names.Repository();
        using var started = await _client.StartUploadAsync(repository);
        var location = _client.LocationOf(started);
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(new byte[10]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.TryAddWithoutValidation("Content-Range", "0-19");

        using var bad = await _client.SendAsync(request);

        Assert.True(bad.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestedRangeNotSatisfiable, $"{(int)bad.StatusCode}");
        using var status = await _client.GetAsync(location);
        Assert.Equal("0-0", status.Header("Range"));
        using var empty = await _client.CompleteUploadAsync(location, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        Assert.Equal(HttpStatusCode.Created, empty.StatusCode);
    }
}
