using System.Runtime;
using Berth.Core.Memory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// Hands memory back to the operating system once the registry goes quiet. The .NET GC only shrinks the heap when it
/// runs, and an idle server allocates nothing, so without this the memory a burst of pushes grew stays resident for
/// good (registry:2's Go runtime scavenges on its own). After start-up, and whenever a check interval passes with next
/// to no allocation after a busy one, one aggressive full collection decommits the free heap; a second one after a
/// minute of quiet lets the shared array pool drop the burst's buffers. A busy server is never interrupted: the check only fires on quiet.
/// </summary>
internal sealed partial class IdleMemoryReclaimer(IEnumerable<IIdleTrimmable> pools, TimeProvider time, ILogger<IdleMemoryReclaimer> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    // Below this many bytes allocated in one interval the server counts as idle (a heartbeat or a probe allocates less).
    private const long QuietBytes = 4 * 1024 * 1024;

    // Above this many bytes allocated since the last reclaim there is something worth handing back.
    private const long WorthReclaimingBytes = 32 * 1024 * 1024;

    // ArrayPool<T>.Shared trims at a full collection, and without memory pressure only a buffer per core idle for 60 s:
    // what Berth keeps in bulk lives in its own pools (IIdleTrimmable), emptied at every pass.
    private static readonly TimeSpan PoolTrimAge = TimeSpan.FromSeconds(65);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Start-up allocates (configuration, DI, routing) and nothing collects it until traffic comes.
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            Reclaim();
            var lastReclaim = GC.GetTotalAllocatedBytes();
            var lastCheck = lastReclaim;
            var quietChecks = 0;
            var poolsTrimmed = true;
            using var timer = new PeriodicTimer(CheckInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                quietChecks = now - lastCheck < QuietBytes ? quietChecks + 1 : 0;
                lastCheck = now;
                if (quietChecks == 0)
                {
                    continue;
                }

                if (now - lastReclaim > WorthReclaimingBytes)
                {
                    Reclaim();
                    poolsTrimmed = false;
                }
                else if (!poolsTrimmed && quietChecks * CheckInterval >= PoolTrimAge)
                {
                    // The shared array pool lets go of a buffer only at a full collection a minute after its last
                    // use (measured on Azurite: 67 -> 63 MiB; on disk about 1 MiB).
                    Reclaim();
                    poolsTrimmed = true;
                }
                else
                {
                    continue;
                }

                lastReclaim = GC.GetTotalAllocatedBytes();
                lastCheck = lastReclaim;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Reclaim()
    {
        var before = Environment.WorkingSet;
        // Idle buffers kept between requests (the transport's pinned receive blocks, the Azure upload blocks) are
        // arrays the collection below can then free.
        foreach (var pool in pools)
        {
            pool.TrimIdle();
        }
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogReclaimed(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "idle: memory handed back, resident {BeforeMiB} MiB -> {AfterMiB} MiB")]
    private static partial void LogReclaimed(ILogger logger, long beforeMiB, long afterMiB);
}
