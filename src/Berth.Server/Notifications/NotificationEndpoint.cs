namespace Berth.Server.Notifications;

/// <summary>An enabled endpoint with its outbox.</summary>
internal sealed class NotificationEndpoint(NotificationEndpointOptions options, NotificationOutbox outbox)
{
    public NotificationEndpointOptions Options { get; } = options;

    public NotificationOutbox Outbox { get; } = outbox;

    /// <summary>Set while the outbox is full, so the overflow is logged once per episode (touched by the dispatcher only).</summary>
    public bool Overflowing { get; set; }
}
