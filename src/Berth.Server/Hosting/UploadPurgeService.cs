using Berth.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>Runs upload purging on registry:2's schedule: once shortly after start, then every interval.</summary>
public sealed partial class UploadPurgeService(RegistryServices registry, UploadPurgingOptions options, ILogger<UploadPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        try
        {
            // Let start-up finish first; registry:2 also delays its first run.
            await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken);
            using var timer = new PeriodicTimer(options.Interval > TimeSpan.Zero ? options.Interval : TimeSpan.FromHours(24));
            do
            {
                try
                {
                    var purged = await registry.UploadPurger.PurgeAsync(options.Age, options.DryRun, stoppingToken);
                    LogPurged(logger, purged.Count, options.Age, options.DryRun);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "upload purge: {Count} session(s) older than {Age} removed (dry run: {DryRun})")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan age, bool dryRun);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "upload purge failed; will retry at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
