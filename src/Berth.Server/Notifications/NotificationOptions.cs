using Berth.Core.Configuration;

namespace Berth.Server.Notifications;

/// <summary>
/// registry:2's <c>notifications</c> section (<c>endpoints</c>, <c>events.includereferences</c>) plus Berth's
/// <c>notifications.outbox</c>: where pending events wait on disk until their endpoint accepts them.
/// </summary>
internal sealed class NotificationOptions
{
    public const int DefaultOutboxMaxEvents = 100_000;

    public static readonly NotificationOptions None = new() { OutboxDirectory = string.Empty };

    public IReadOnlyList<NotificationEndpointOptions> Endpoints { get; init; } = [];

    public bool IncludeReferences { get; init; }

    public required string OutboxDirectory { get; init; }

    /// <summary>Pending events kept per endpoint; beyond it new events for that endpoint are dropped and logged.</summary>
    public int OutboxMaxEvents { get; init; } = DefaultOutboxMaxEvents;

    public IEnumerable<NotificationEndpointOptions> Enabled => Endpoints.Where(e => !e.Disabled);

    public static NotificationOptions Bind(RegistryConfiguration configuration)
    {
        var notifications = new ConfigSection(configuration.Tree, string.Empty).GetSection("notifications");
        if (notifications is null)
        {
            return None;
        }

        var endpoints = BindEndpoints(notifications);
        var outbox = notifications.GetSection("outbox");
        var directory = outbox?.GetString("directory");
        if (string.IsNullOrEmpty(directory))
        {
            directory = DefaultOutboxDirectory(configuration);
            if (directory is null && endpoints.Any(e => !e.Disabled))
            {
                throw (outbox ?? notifications).Error(outbox is null ? "outbox" : "directory",
                    $"notifications.outbox.directory (REGISTRY_NOTIFICATIONS_OUTBOX_DIRECTORY) is required with the {configuration.Storage.Driver} storage driver: pending events are kept on local disk");
            }
        }

        return new NotificationOptions
        {
            Endpoints = endpoints,
            IncludeReferences = notifications.GetSection("events")?.GetBool("includereferences", false) ?? false,
            OutboxDirectory = directory ?? string.Empty,
            OutboxMaxEvents = outbox?.GetInt("maxevents", DefaultOutboxMaxEvents, min: 1) ?? DefaultOutboxMaxEvents,
        };
    }

    // Inside the filesystem root, beside docker/ (registry:2 reads only docker/registry/v2): writable wherever the store
    // is (a container volume, systemd's StateDirectory), and kept with the data the events describe.
    private static string? DefaultOutboxDirectory(RegistryConfiguration configuration) =>
        configuration.Storage.Driver == "filesystem"
            ? Path.Combine(configuration.Storage.DriverParameters.GetString("rootdirectory") is { Length: > 0 } root ? root : "/var/lib/registry", "berth", "notifications")
            : null;

    private static List<NotificationEndpointOptions> BindEndpoints(ConfigSection notifications)
    {
        var endpoints = new List<NotificationEndpointOptions>();
        if (!notifications.Has("endpoints"))
        {
            return endpoints;
        }

        var items = notifications.GetSectionList("endpoints");
        for (var i = 0; i < items.Count; i++)
        {
            endpoints.Add(BindEndpoint(items[i]));
        }

        var duplicate = endpoints.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw notifications.Error("endpoints", $"two endpoints are named '{duplicate.Key}'; names must be unique (each has its own outbox)");
        }

        return endpoints;
    }

    private static NotificationEndpointOptions BindEndpoint(ConfigSection endpoint)
    {
        var name = endpoint.GetRequiredString("name");
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
        {
            // The name is the outbox's folder name: letters, digits, '-', '_' and '.' keep it one path segment.
            throw endpoint.Error("name", $"'{name}' may contain only letters, digits, '-', '_' and '.', and may not start with '.'");
        }

        var url = endpoint.GetRequiredString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw endpoint.Error("url", $"'{url}' is not an http or https URL");
        }

        var ignore = endpoint.GetSection("ignore");
        return new NotificationEndpointOptions
        {
            Name = name,
            Url = uri,
            Headers = endpoint.GetStringListMap("headers"),
            Timeout = Positive(endpoint.GetDuration("timeout", TimeSpan.Zero), TimeSpan.FromSeconds(1)),
            Threshold = endpoint.GetInt("threshold", 0) is > 0 and var threshold ? threshold : 10,
            Backoff = Positive(endpoint.GetDuration("backoff", TimeSpan.Zero), TimeSpan.FromSeconds(1)),
            Disabled = endpoint.GetBool("disabled", false),
            IgnoredMediaTypes = endpoint.GetList("ignoredmediatypes").Concat(ignore?.GetList("mediatypes") ?? []).ToHashSet(StringComparer.Ordinal),
            IgnoredActions = (ignore?.GetList("actions") ?? []).ToHashSet(StringComparer.Ordinal),
        };
    }

    private static TimeSpan Positive(TimeSpan value, TimeSpan fallback) => value > TimeSpan.Zero ? value : fallback;
}
