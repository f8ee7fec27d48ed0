using System.Diagnostics;
using Berth.Core.Collection;
using Berth.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// The online garbage collector (<c>storage.gc.enabled</c>): collects while the registry serves, then waits
/// <c>storage.gc.interval</c> and collects again. Run only on one instance of a shared store (see docs/gc.md).
/// </summary>
public sealed partial class GarbageCollectionService(GarbageCollector collector, GarbageCollectionOptions options, ILogger<GarbageCollectionService> logger) : BackgroundService
{
    // A store that keeps failing is not hammered back to back.
    private static readonly TimeSpan MinimumWaitAfterFailure = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        var collection = new CollectionOptions(options.DryRun, options.DeleteUntagged) { GracePeriod = options.GracePeriod, Quarantine = options.Quarantine };
        try
        {
            // The first collection waits for start-up to settle, but not a whole interval.
            await Task.Delay(options.Interval < TimeSpan.FromMinutes(1) ? options.Interval : TimeSpan.FromMinutes(1), stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = options.Interval;
                var clock = Stopwatch.StartNew();
                try
                {
                    var summary = await collector.CollectAsync(collection, TextWriter.Null, stoppingToken);
                    CollectionMetrics.Completed(summary, clock.Elapsed);
                    LogCollected(logger, summary.BlobsMarked, summary.BlobsEligible.Count, summary.BlobsDeleted, summary.BytesDeleted, summary.ManifestsDeleted,
                        summary.KeptByRecheck, summary.BlobsWithinGracePeriod, summary.QuarantinePurged, options.DryRun, clock.Elapsed.TotalSeconds);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    CollectionMetrics.Failed();
                    LogFailed(logger, e);
                    wait = wait < MinimumWaitAfterFailure ? MinimumWaitAfterFailure : wait;
                }

                await Task.Delay(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message =
        "garbage collection: {Marked} blobs marked, {Eligible} eligible, {Deleted} deleted ({Bytes} bytes), {Manifests} untagged manifests deleted, " +
        "{KeptByRecheck} kept because a push referenced them meanwhile, {WithinGrace} within the grace period, {Purged} purged from quarantine (dry run: {DryRun}) in {Seconds:F1} s")]
    private static partial void LogCollected(
        ILogger logger, int marked, int eligible, int deleted, long bytes, int manifests, int keptByRecheck, int withinGrace, int purged, bool dryRun, double seconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "garbage collection failed; nothing more was deleted, and it runs again after the interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
