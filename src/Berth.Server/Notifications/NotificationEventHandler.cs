using System.Text.Json;
using Berth.Core.Events;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Notifications;

/// <summary>
/// Puts each notification into the outbox of every endpoint that wants it (not disabled, action and media type not
/// ignored). Each endpoint has its own outbox, so a slow or absent endpoint never holds the others back. The event
/// is built and serialized once; its id is the same in every endpoint's copy.
/// </summary>
internal sealed partial class NotificationEventHandler(
    NotificationEventBuilder builder, NotificationEndpoints endpoints, ILogger<NotificationEventHandler> logger) : IRegistryEventHandler
{
    public ValueTask HandleAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        if (builder.Build(registryEvent) is not { } notification)
        {
            return ValueTask.CompletedTask;
        }

        byte[]? body = null;
        foreach (var endpoint in endpoints.All)
        {
            if (endpoint.Options.Ignores(notification.Action, notification.Target.MediaType))
            {
                continue;
            }

            body ??= JsonSerializer.SerializeToUtf8Bytes(new NotificationEnvelope([notification]), NotificationJsonContext.Default.NotificationEnvelope);
            if (endpoint.Outbox.TryAdd(body))
            {
                if (endpoint.Overflowing)
                {
                    endpoint.Overflowing = false;
                    LogOutboxAccepting(logger, endpoint.Options.Name, endpoint.Outbox.Count);
                }
            }
            else if (!endpoint.Overflowing)
            {
                // Once per episode: a log line per dropped event would flood the log of a registry already in trouble.
                endpoint.Overflowing = true;
                LogOutboxFull(logger, endpoint.Options.Name, endpoint.Outbox.MaxEvents, endpoint.Outbox.Directory);
            }
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Error,
        Message = "notifications: the outbox of endpoint {Endpoint} holds {Max} undelivered events (notifications.outbox.maxevents) in {Directory}; new events for it are dropped until it drains")]
    private static partial void LogOutboxFull(ILogger logger, string endpoint, int max, string directory);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "notifications: the outbox of endpoint {Endpoint} accepts events again ({Pending} pending); events in between were dropped")]
    private static partial void LogOutboxAccepting(ILogger logger, string endpoint, int pending);
}
