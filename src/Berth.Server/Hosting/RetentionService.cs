using Berth.Core.Retention;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// Runs retention (<c>retention.enabled</c>) a minute after start, then every <c>retention.interval</c>; each tag or
/// manifest it deletes, or would delete with <c>retention.dryrun</c>, is one log line.
/// </summary>
public sealed partial class RetentionService(RetentionRunner runner, RetentionOptions options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    /// <summary>Let start-up finish first, as upload purging does.</summary>
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRunDelay, time, stoppingToken);
            using var timer = new PeriodicTimer(options.Interval, time);
            do
            {
                try
                {
                    using var output = new StringWriter();
                    await runner.ApplyAsync(options.DryRun, output, stoppingToken);
                    foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        LogLine(logger, line);
                    }
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

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "retention pass failed; will retry at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
