using System.Net;
using System.Security.Cryptography;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// The berth process is killed with SIGKILL in the middle of uploads: upload state lives in storage, so the upload
/// continues after a restart, nothing half-written ever becomes visible, and pushing again succeeds.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private RegistryProcess _berth = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _berth = await RegistryProcess.StartBerthOnDiskAsync(_temp);
        _client = new HttpClient { BaseAddress = _berth.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _berth.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Upload_started_before_a_kill_continues_after_restart()
    {
        var content = RandomNumberGenerator.GetBytes(3_000_000);
        var digest = OciLayout.Sha256(content);

        var start = await _client.PostAsync("v2/crash/resume/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        var first = await BlobUploadRequests.PatchAsync(_client, location, content.AsMemory(0, 1_000_000), 0);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        await _berth.RestartAsync();

        var status = await _client.GetAsync(first.Headers.Location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-999999", status.Headers.GetValues("Range").Single());

        var second = await BlobUploadRequests.PatchAsync(_client, status.Headers.Location!, content.AsMemory(1_000_000), 1_000_000);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var complete = await _client.PutAsync(BlobUploadRequests.WithDigest(second.Headers.Location!, digest), null);
        Assert.Equal(HttpStatusCode.Created, complete.StatusCode);

        Assert.Equal(content, await _client.GetByteArrayAsync($"v2/crash/resume/blobs/{digest}"));
    }

    [Fact]
    public async Task Kill_during_a_streaming_upload_leaves_nothing_visible_and_the_push_succeeds_after_restart()
    {
        var content = RandomNumberGenerator.GetBytes(32 * 1024 * 1024);
        var digest = OciLayout.Sha256(content);
        var start = await _client.PostAsync("v2/crash/kill/blobs/uploads/", null);
        var location = start.Headers.Location!;

        // Stream the body slowly and kill the server once part of it has gone out.
        var sent = 0;
        var body = new StreamContent(new ThrottledStream(content, onProgress: n =>
        {
            sent = n;
            if (n >= 8 * 1024 * 1024)
            {
                _berth.Kill();
            }
        }));
        await Assert.ThrowsAnyAsync<Exception>(() => _client.PutAsync(BlobUploadRequests.WithDigest(location, digest), body));
        Assert.True(sent >= 8 * 1024 * 1024);

        await _berth.RestartAsync();
        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/crash/kill/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.DoesNotContain(
            Directory.GetFiles(_temp.Combine("store"), "data", SearchOption.AllDirectories),
            f => f.Contains("/blobs/sha256/", StringComparison.Ordinal));

        var again = await _client.PostAsync($"v2/crash/kill/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(content, await _client.GetByteArrayAsync($"v2/crash/kill/blobs/{digest}"));
    }



    /// <summary>A body that trickles out in 256 KiB pieces so a kill lands in the middle of it.</summary>
    private sealed class ThrottledStream(byte[] content, Action<int> onProgress) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(5, cancellationToken);
            var count = Math.Min(Math.Min(buffer.Length, 256 * 1024), content.Length - _position);
            content.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            onProgress(_position);
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
