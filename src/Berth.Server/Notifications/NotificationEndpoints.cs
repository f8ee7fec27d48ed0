namespace Berth.Server.Notifications;

/// <summary>The enabled endpoints, each with its outbox opened (and its pending events from before a restart loaded).</summary>
internal sealed class NotificationEndpoints(NotificationOptions options) : IDisposable
{
    public IReadOnlyList<NotificationEndpoint> All { get; } = options.Enabled
        .Select(e => new NotificationEndpoint(e, new NotificationOutbox(Path.Combine(options.OutboxDirectory, e.Name), options.OutboxMaxEvents)))
        .ToList();

    public void Dispose()
    {
        foreach (var endpoint in All)
        {
            endpoint.Outbox.Dispose();
        }
    }
}
