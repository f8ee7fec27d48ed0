using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Berth.Server.Hosting;

/// <summary>
/// Kestrel's socket transport receives into whatever block its memory pool hands out, and its own pool's blocks are
/// 4 KiB: a layer arrives in 2–4 KiB <c>recvfrom</c> calls (65,000 for 128 MiB) and is sent the same way. With 64 KiB
/// blocks each receive and send moves up to 64 KiB, and a request body reaches the hash and the file in large segments.
/// Blocks are pinned (the socket pins them for every operation) and pooled; at most <see cref="MaxRetained"/> idle
/// blocks are kept, the rest go back to the GC, and when the server goes quiet <see cref="IdleMemoryReclaimer"/> drops
/// the idle ones too.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    // 16 MiB idle at most. Fewer is worse: with 64 kept, 8 chunked 100 MiB pushes dropped and reallocated blocks
    // (pinned, so only a full collection frees them) and peak RSS rose from 137 to 170–179 MiB; with 256, 139–141.
    private const int MaxRetained = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private bool _disposed;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block;
        }

        return new Block(this);
    }

    private void Return(Block block)
    {
        if (!_disposed && Interlocked.Increment(ref _freeCount) <= MaxRetained)
        {
            _free.Enqueue(block);
            return;
        }

        Interlocked.Decrement(ref _freeCount);
    }

    /// <summary>Lets the GC have the idle blocks: a quiet server should not pin a burst's worth of them.</summary>
    public void TrimIdle()
    {
        while (_free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true), 0, BlockSize);

        public void Dispose() => pool.Return(this);
    }
}
