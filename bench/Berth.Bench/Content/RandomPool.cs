using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Berth.Bench.Content;

/// <summary>
/// Incompressible bytes from a seeded RNG, generated once. A blob is a unique 32-byte header followed by a window of
/// the pool that starts at an offset derived from the blob's key, so every blob is distinct and random while no
/// request allocates or generates its body.
/// </summary>
internal sealed class RandomPool
{
    public const int HeaderLength = 32;
    public const int SliceLength = 256 * 1024;

    private readonly byte[] _pool;
    private readonly int _seed;

    public RandomPool(int seed, int length)
    {
        _seed = seed;
        _pool = GC.AllocateUninitializedArray<byte>(length);
        new Random(seed).NextBytes(_pool);
    }

    public IEnumerable<ReadOnlyMemory<byte>> Slices(long key, long size)
    {
        var header = Header(key);
        var headerLength = (int)Math.Min(HeaderLength, size);
        yield return header.AsMemory(0, headerLength);

        var remaining = size - headerLength;
        var offset = StartOffset(key);
        while (remaining > 0)
        {
            var length = (int)Math.Min(Math.Min(remaining, SliceLength), _pool.Length - offset);
            yield return _pool.AsMemory(offset, length);
            remaining -= length;
            offset += length;
            if (offset == _pool.Length)
                offset = 0;
        }
    }

    public string ComputeDigest(long key, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var slice in Slices(key, size))
            hash.AppendData(slice.Span);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private byte[] Header(long key)
    {
        var header = new byte[HeaderLength];
        "berth-bench\n"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), _seed);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), key);
        return header;
    }

    private int StartOffset(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL % (ulong)_pool.Length) & ~63;
}
