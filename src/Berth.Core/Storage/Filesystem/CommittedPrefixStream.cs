namespace Berth.Core.Storage.Filesystem;

/// <summary>
/// A read-only, seekable view of the first <c>length</c> bytes of a file, for a file that holds bytes beyond what its
/// writer committed (see <see cref="CommittedLength"/>).
/// </summary>
internal sealed class CommittedPrefixStream(Stream file, long length) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => file.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var left = length - file.Position;
        return left <= 0 ? 0 : file.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var left = length - file.Position;
        return left <= 0 ? ValueTask.FromResult(0) : file.ReadAsync(buffer[..(int)Math.Min(buffer.Length, left)], cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => origin switch
    {
        SeekOrigin.End => file.Seek(length + offset, SeekOrigin.Begin),
        _ => file.Seek(offset, origin),
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
