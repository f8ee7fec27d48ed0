using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Berth.Storage.Azure;

/// <summary>
/// Reads a blob as one streamed GET from where the reader is to the end, and opens another ranged GET only when the
/// reader seeks (an HTTP range request). The SDK's own read stream fetched the blob in sequential 4 MiB ranges, each
/// a round trip, into a 4 MiB buffer rented per open stream; the shared array pool then kept one such buffer for
/// every concurrent manifest read long after the burst (256 MiB after 64 concurrent HEADs). This stream holds no
/// buffer: the bytes go from the response to the caller's buffer.
/// </summary>
internal sealed class BlobReadStream : Stream
{
    private readonly BlobClient _blob;
    private readonly ETag? _pinnedETag;
    private Stream? _body;
    private long _position;

    private BlobReadStream(BlobClient blob, ETag? pinnedETag, Stream body, long length)
    {
        _blob = blob;
        _pinnedETag = pinnedETag;
        _body = body;
        Length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>
    /// Starts the GET of the whole blob, so a pull costs one request. With <paramref name="pinVersion"/> a later
    /// ranged GET must match the first answer's ETag, so a blob replaced mid-read fails instead of mixing versions;
    /// content-addressed data never changes its bytes, only its metadata (a collector's touch), which must not break a
    /// pull. (The SDK's own retry of a response that broke mid-way resumes against the first ETag whatever this says,
    /// so a touch between such a fault and its retry fails that one pull, which the client then retries.) Null when
    /// the blob does not exist.
    /// </summary>
    public static async Task<BlobReadStream?> OpenAsync(BlobClient blob, bool pinVersion, CancellationToken cancellationToken)
    {
        try
        {
            var download = (await blob.DownloadStreamingAsync(options: null, cancellationToken)).Value;
            var details = download.Details;
            return new BlobReadStream(blob, pinVersion ? details.ETag : null, download.Content, details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }

        _body ??= Reopen();
        return Advance(_body.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }

        _body ??= await ReopenAsync(cancellationToken);
        return Advance(await _body.ReadAsync(buffer, cancellationToken));
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            // The open response is positioned elsewhere: drop it and read from the target when asked to.
            _body?.Dispose();
            _body = null;
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _body = null;
        }

        base.Dispose(disposing);
    }

    private int Advance(int read)
    {
        if (read == 0 && _position < Length)
        {
            throw new IOException($"{_blob.Name} ended at byte {_position} of {Length}");
        }

        _position += read;
        return read;
    }

    private Stream Reopen() => _blob.DownloadStreaming(RangeFromPosition()).Value.Content;

    private async Task<Stream> ReopenAsync(CancellationToken cancellationToken) =>
        (await _blob.DownloadStreamingAsync(RangeFromPosition(), cancellationToken)).Value.Content;

    private BlobDownloadOptions RangeFromPosition() => new()
    {
        Range = new HttpRange(_position),
        Conditions = _pinnedETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : null,
    };
}
