namespace Berth.Core.Proxy;

/// <summary>One client's view of a <see cref="BlobFetch"/>: reads the spool behind the writer, waiting for more.</summary>
internal sealed class BlobFetchStream(BlobFetch fetch, FileStream spool) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (written, succeeded, failure, changed) = fetch.Snapshot();
            if (failure is not null)
            {
                // Thrown mid-response, this aborts the client's connection: an incomplete blob is never taken as whole.
                throw new IOException("the upstream fetch of this blob failed", failure);
            }

            var available = succeeded ? written : written - 1;
            if (_position < available)
            {
                var read = await spool.ReadAsync(buffer[..(int)Math.Min(buffer.Length, available - _position)], cancellationToken);
                if (read > 0)
                {
                    _position += read;
                    return read;
                }
            }
            else if (succeeded)
            {
                return 0;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            spool.Dispose();
        }

        base.Dispose(disposing);
    }
}
