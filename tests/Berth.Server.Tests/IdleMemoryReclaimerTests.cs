using Berth.Core.Memory;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Server.Tests;

/// <summary>The reclaimer's first pass, a second after start-up, empties every registered buffer pool, not only one.</summary>
public sealed class IdleMemoryReclaimerTests
{
    [Fact]
    public async Task The_pass_after_start_up_trims_every_registered_pool()
    {
        var transport = new CountingPool();
        var uploads = new CountingPool();
        using var reclaimer = new IdleMemoryReclaimer([transport, uploads], TimeProvider.System, NullLogger<IdleMemoryReclaimer>.Instance);

        await reclaimer.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while ((transport.Trims == 0 || uploads.Trims == 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        finally
        {
            await reclaimer.StopAsync(CancellationToken.None);
        }

        Assert.True(transport.Trims > 0, "the first pool was not trimmed");
        Assert.True(uploads.Trims > 0, "the second pool was not trimmed");
    }

    private sealed class CountingPool : IIdleTrimmable
    {
        private int _trims;

        public int Trims => Volatile.Read(ref _trims);

        public void TrimIdle() => Interlocked.Increment(ref _trims);
    }
}
