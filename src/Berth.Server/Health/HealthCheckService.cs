using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Health;

/// <summary>Runs every configured check on its own interval, the first run at start-up, and logs each change of state.</summary>
internal sealed partial class HealthCheckService(HealthRegistry registry, TimeProvider time, ILogger<HealthCheckService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(registry.Checks.Select(check => RunAsync(check, stoppingToken)));

    private async Task RunAsync(HealthCheck check, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(check.Interval, time);
        do
        {
            if (await check.RunAsync(stoppingToken))
            {
                registry.Refresh();
                if (check.Failure is { } error)
                {
                    LogFailing(logger, check.Name, error);
                }
                else
                {
                    LogRecovered(logger, check.Name);
                }
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "health check {Check} is failing: {Error}; API requests answer 503 until it passes")]
    private static partial void LogFailing(ILogger logger, string check, string error);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "health check {Check} passes again")]
    private static partial void LogRecovered(ILogger logger, string check);
}
