using System.Buffers;
using Berth.Core.Memory;
using Microsoft.AspNetCore.Connections;

namespace Berth.Server.Hosting;

/// <summary>
/// Gives Kestrel's transport <see cref="LargeBlockMemoryPool"/>s; registered in place of Kestrel's own factory. It keeps
/// the pools it made so <see cref="IdleMemoryReclaimer"/> can empty them when the server goes quiet.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>, IIdleTrimmable
{
    private readonly List<WeakReference<LargeBlockMemoryPool>> _pools = [];

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new LargeBlockMemoryPool();
        lock (_pools)
        {
            _pools.RemoveAll(p => !p.TryGetTarget(out _));
            _pools.Add(new WeakReference<LargeBlockMemoryPool>(pool));
        }

        return pool;
    }

    /// <summary>Drops every idle block of every pool; blocks in use come back later and are kept again.</summary>
    public void TrimIdle()
    {
        lock (_pools)
        {
            foreach (var reference in _pools)
            {
                if (reference.TryGetTarget(out var pool))
                {
                    pool.TrimIdle();
                }
            }
        }
    }
}
