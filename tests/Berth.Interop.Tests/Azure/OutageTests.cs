using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Berth.Interop.Tests.Support;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Azure;

/// <summary>
/// The emulator stopped during a push, as a storage outage would: the push fails with berth's 503 UNAVAILABLE, not a
/// hang; nothing half-written becomes visible; once storage is back the push succeeds with the same berth process.
/// Each test has its own emulator, since it stops it.
/// </summary>
public sealed class OutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Repository = "outage/app";
    private const int Chunk = 8 * 1024 * 1024;

    // Bounds every request: a hang fails the test instead of stalling it. Berth's own retries last about 15 s.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);

    private readonly Azurite _azurite = new();
    private readonly TempDirectory _temp = new();
    private RegistryProcess _berth = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _azurite.StartAsync();
        _berth = await BerthOnAzurite.StartAsync(_azurite, "registry");
        _client = new HttpClient { BaseAddress = _berth.BaseUri, Timeout = RequestTimeout };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _berth.DisposeAsync();
        await _azurite.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Storage_stopped_in_the_middle_of_an_upload_gives_503_unavailable_and_the_upload_finishes_once_it_is_back()
    {
        var content = new byte[30 * 1024 * 1024];
        new Random(17).NextBytes(content);
        var digest = OciLayout.Sha256(content);
        var location = await BlobUploadRequests.StartAsync(_client, Repository);
        for (var offset = 0; offset < 2 * Chunk; offset += Chunk)
        {
            using var accepted = await BlobUploadRequests.PatchAsync(_client, location, content.AsMemory(offset, Chunk), offset);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            location = accepted.Headers.Location!;
        }

        await _azurite.StopAsync();
        var watch = Stopwatch.StartNew();
        using (var failed = await BlobUploadRequests.PatchAsync(_client, location, content.AsMemory(2 * Chunk, Chunk), 2 * Chunk))
        {
            output.WriteLine($"PATCH during the outage answered {(int)failed.StatusCode} after {watch.Elapsed.TotalSeconds:0.0} s");
            await AssertUnavailableAsync(failed);
        }

        using (var head = await BlobUploadRequests.HeadBlobAsync(_client, Repository, digest))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
        }

        await _azurite.StartAsync();

        using (var head = await BlobUploadRequests.HeadBlobAsync(_client, Repository, digest))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        Assert.DoesNotContain(
            await EmulatorContainer.Open(_azurite, "registry").NamesAsync(),
            n => n.Contains(digest["sha256:".Length..], StringComparison.Ordinal));

        // The chunks stored before the outage are still the upload's; the failed one left nothing behind.
        using (var status = await _client.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal($"0-{(2 * Chunk) - 1}", status.Headers.GetValues("Range").Single());
        }

        for (var offset = 2 * Chunk; offset < content.Length; offset += Chunk)
        {
            var length = Math.Min(Chunk, content.Length - offset);
            using var accepted = await BlobUploadRequests.PatchAsync(_client, location, content.AsMemory(offset, length), offset);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            location = accepted.Headers.Location!;
        }

        using (var created = await BlobUploadRequests.CompleteAsync(_client, location, digest))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal((digest, content.LongLength), await BlobUploadRequests.PullDigestAsync(_client, Repository, digest));
    }

    [Fact]
    public async Task Storage_stopped_while_a_chunk_is_streaming_gives_503_unavailable_and_leaves_no_partial_blob()
    {
        var content = new byte[30 * 1024 * 1024];
        new Random(23).NextBytes(content);
        var digest = OciLayout.Sha256(content);
        var location = await BlobUploadRequests.StartAsync(_client, Repository);

        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new StreamContent(new TrickleStream(content, signalAt: 12 * 1024 * 1024, halfway));
        body.Headers.ContentLength = content.Length;
        var patch = _client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, location) { Content = body });
        await halfway.Task.WaitAsync(RequestTimeout);
        await _azurite.StopAsync();

        using (var failed = await patch)
        {
            await AssertUnavailableAsync(failed);
        }

        await _azurite.StartAsync();
        using (var head = await BlobUploadRequests.HeadBlobAsync(_client, Repository, digest))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        // The push is retried whole, as clients do after a failed PATCH, by the same berth process.
        using (var created = await _client.PostAsync($"v2/{Repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal((digest, content.LongLength), await BlobUploadRequests.PullDigestAsync(_client, Repository, digest));
    }

    [Fact]
    public async Task Skopeo_push_during_an_outage_fails_with_a_clear_error_and_succeeds_once_storage_is_back_without_restarting_berth()
    {
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("v1", layerCount: 3, layerBytes: 10_000_000, seed: 301);
        var target = $"docker://{_berth.Host}/{Repository}:v1";
        string[] copy = ["--insecure-policy", "copy", "--dest-tls-verify=false", source.Reference("v1"), target];

        await _azurite.StopAsync();
        var failed = await ExternalProcess.RunAsync("skopeo", copy, TimeSpan.FromMinutes(2));
        output.WriteLine($"skopeo during the outage: exit {failed.ExitCode}\n{failed.Error}");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("503 (Service Unavailable)", failed.Error, StringComparison.Ordinal);

        await _azurite.StartAsync();
        var image = LayoutImage.Read(_temp.Combine("src"), "v1");
        foreach (var digest in image.Blobs)
        {
            using var head = await BlobUploadRequests.HeadBlobAsync(_client, Repository, digest);
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        await Skopeo.CopyAsync(source.Reference("v1"), target);
        await Skopeo.CopyAsync(target, $"oci:{_temp.Combine("back")}:v1");
        SkopeoPushPullSuite.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("back"));
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    /// <summary>A body that goes out in 256 KiB pieces and signals once <paramref name="signalAt"/> bytes have gone.</summary>
    private sealed class TrickleStream(byte[] content, int signalAt, TaskCompletionSource signal) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(5, cancellationToken);
            var count = Math.Min(Math.Min(buffer.Length, 256 * 1024), content.Length - _position);
            content.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            if (_position >= signalAt)
            {
                signal.TrySetResult();
            }

            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
