using Berth.Core.Collection;
using Berth.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// Keeps this registry's heartbeat in the store (<see cref="ServingInstances"/>) while it serves, and removes it on a
/// clean stop, so an offline garbage collection run beside it knows to honour the grace period.
/// </summary>
public sealed partial class InstanceHeartbeatService(ServingInstances instances, RegistryConfiguration configuration, ILogger<InstanceHeartbeatService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstContentPoll = TimeSpan.FromSeconds(5);

    private readonly string _instanceId = Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.Storage.ReadOnly)
        {
            // A read-only registry pushes nothing a collection could race.
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var written = false;
                try
                {
                    written = await instances.BeatAsync(_instanceId, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogBeatFailed(logger, e);
                }

                // Until the store has content (the first push), look again soon: that push is what a collection could race.
                await Task.Delay(written ? ServingInstances.HeartbeatInterval : FirstContentPoll, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (configuration.Storage.ReadOnly)
        {
            return;
        }

        try
        {
            await instances.RemoveAsync(_instanceId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBeatFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "could not write this instance's heartbeat to the store")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
