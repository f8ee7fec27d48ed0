using System.Text.Json;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Notifications;

/// <summary>
/// Puts each notification into the outbox of every endpoint that wants it (not disabled, action and media type not
/// ignored). Each endpoint has its own outbox, so a slow or absent endpoint never holds the others back. The event
/// is built and serialized once; its id is the same in every endpoint's copy.
/// </summary>
internal sealed partial class NotificationEventHandler(
    NotificationEventBuilder builder, NotificationEndpoints endpoints, NotificationOptions options, ManifestStore manifests, ILogger<NotificationEventHandler> logger)
    : IRegistryEventHandler
{
    public async ValueTask HandleAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        if (builder.Build(registryEvent) is not { } notification)
        {
            return;
        }

        if (registryEvent is ManifestPulled pulled && options.IncludeReferences)
        {
            // Read here, off the request, rather than parsing every manifest a GET serves.
            notification = notification with { Target = notification.Target with { References = await ReferencesAsync(pulled, cancellationToken) } };
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
    }

    private async Task<IReadOnlyList<NotificationDescriptor>?> ReferencesAsync(ManifestPulled pulled, CancellationToken cancellationToken)
    {
        // Deleted since the pull: the event goes out without references rather than not at all.
        if (await manifests.GetAsync(pulled.Repository, pulled.Digest, cancellationToken) is not { } stored ||
            ManifestParser.Parse(stored.Content, stored.MediaType).Manifest is not { } manifest)
        {
            return null;
        }

        var references = NotificationEventBuilder.References([.. (manifest.Config is null ? [] : new[] { manifest.Config }), .. manifest.Layers, .. manifest.Manifests]);
        return references.Count > 0 ? references : null;
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Error,
        Message = "notifications: the outbox of endpoint {Endpoint} holds {Max} undelivered events (notifications.outbox.maxevents) in {Directory}; new events for it are dropped until it drains")]
    private static partial void LogOutboxFull(ILogger logger, string endpoint, int max, string directory);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "notifications: the outbox of endpoint {Endpoint} accepts events again ({Pending} pending); events in between were dropped")]
    private static partial void LogOutboxAccepting(ILogger logger, string endpoint, int pending);
}
