using System.Collections.Concurrent;
using Berth.Core.Memory;

namespace Berth.Storage.Azure;

/// <summary>
/// The upload writers' block buffers (one block each, 8 MiB by default), kept for the next upload and dropped when the
/// server goes quiet. The shared array pool kept them instead and gives back one buffer per core a minute at most:
/// after a burst of 8 concurrent uploads, 64 MiB stayed resident. Allocating each buffer afresh instead made them
/// large-object garbage and raised the run's peak by 70 MiB.
/// </summary>
internal sealed class BlockBufferPool(int bufferSize) : IIdleTrimmable
{
    // More than the uploads a two-core server runs at once; a buffer returned beyond this is left to the collector.
    private const int MaxRetained = 16;

    private readonly ConcurrentStack<byte[]> _idle = new();
    private int _idleCount;

    public int BufferSize { get; } = bufferSize;

    public int IdleCount => Volatile.Read(ref _idleCount);

    public byte[] Rent()
    {
        if (_idle.TryPop(out var buffer))
        {
            Interlocked.Decrement(ref _idleCount);
            return buffer;
        }

        return GC.AllocateUninitializedArray<byte>(BufferSize);
    }

    public void Return(byte[] buffer)
    {
        if (Interlocked.Increment(ref _idleCount) > MaxRetained)
        {
            Interlocked.Decrement(ref _idleCount);
            return;
        }

        _idle.Push(buffer);
    }

    public void TrimIdle()
    {
        while (_idle.TryPop(out _))
        {
            Interlocked.Decrement(ref _idleCount);
        }
    }
}
