using Berth.Core.Proxy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// Runs the pull-through cache's expiry: loads <c>scheduler-state.json</c> at start, then every 30 seconds removes
/// what outlived its time to live and saves the schedule; saves once more on shutdown. Idle without upstreams.
/// </summary>
internal sealed partial class ProxyCacheService(ProxyRouter router, ProxyExpiry expiry, TimeProvider time, ILogger<ProxyCacheService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!router.IsEnabled)
        {
            return;
        }

        try
        {
            await expiry.LoadAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage down at start must not stop the registry (a failed BackgroundService stops the host); entries
            // pulled from now on are kept, and the old schedule's content is fetched again when it is pulled.
            LogExpiryFailed(logger, e);
        }

        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (router.IsEnabled)
        {
            await RunOnceAsync(cancellationToken);
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await expiry.ExpireAsync(cancellationToken);
            await expiry.SaveAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogExpiryFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Proxy cache expiry failed; it is tried again on the next round")]
    private static partial void LogExpiryFailed(ILogger logger, Exception exception);
}
