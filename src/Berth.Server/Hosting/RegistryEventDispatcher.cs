using Berth.Core.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// Delivers the domain events to every <see cref="IRegistryEventHandler"/>, off the request that raised them, one at
/// a time in publishing order. A failing handler is logged and skipped, never retried here: handlers that need
/// delivery guarantees keep their own outbox.
/// </summary>
internal sealed partial class RegistryEventDispatcher(RegistryEventChannel channel, IEnumerable<IRegistryEventHandler> handlers, ILogger<RegistryEventDispatcher> logger)
    : BackgroundService
{
    private readonly IRegistryEventHandler[] _handlers = handlers.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var registryEvent in channel.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var handler in _handlers)
                {
                    try
                    {
                        await handler.HandleAsync(registryEvent, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogHandlerFailed(logger, e, handler.GetType().Name, registryEvent.GetType().Name);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "event handler {Handler} failed on {Event}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, string @event);
}
