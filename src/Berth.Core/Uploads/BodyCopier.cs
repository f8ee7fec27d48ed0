using System.Buffers;
using System.Security.Cryptography;
using Berth.Core.Storage;

namespace Berth.Core.Uploads;

/// <summary>
/// The one streaming loop: reads a body with a pooled buffer and feeds the hash and the storage writer in the same
/// pass, so a layer of any size costs one buffer of memory.
/// </summary>
internal static class BodyCopier
{
    private const int BufferSize = 256 * 1024;

    /// <summary>Copies until end of stream and returns the number of bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, IStorageWriter writer, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            while (true)
            {
                // Fill the buffer before writing: request bodies arrive in small reads, storage likes large writes.
                var filled = 0;
                int read;
                do
                {
                    read = await source.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken);
                    filled += read;
                }
                while (read > 0 && filled < BufferSize);

                if (filled == 0)
                {
                    return total;
                }

                hash?.AppendData(buffer, 0, filled);
                await writer.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                total += filled;
                if (read == 0)
                {
                    return total;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The pull-through cache's loop: each read goes to the hash, the storage writer and a second sink (the clients
    /// waiting for the blob) at once, without filling the buffer first, so the first byte reaches them as soon as the
    /// upstream sends it. <paramref name="onRead"/> runs after each read (an idle timeout resets there).
    /// </summary>
    public static async Task<long> CopyTeeAsync(
        Stream source, IStorageWriter writer, IncrementalHash hash, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> tee, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await tee(buffer.AsMemory(0, read), cancellationToken);
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hashes a whole stream, for uploads whose running hash was lost (a restart, another instance).</summary>
    public static async Task<byte[]> HashAsync(Stream source, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return hash.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
