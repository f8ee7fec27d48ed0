using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Berth.Server.Hosting;

/// <summary>Gives Kestrel's transport <see cref="LargeBlockMemoryPool"/>s; registered in place of Kestrel's own factory.</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
