namespace Berth.Server.Notifications;

/// <summary>One entry of registry:2's <c>notifications.endpoints</c>, with registry:2's defaults.</summary>
internal sealed class NotificationEndpointOptions
{
    public required string Name { get; init; }

    public required Uri Url { get; init; }

    public IReadOnlyDictionary<string, string[]> Headers { get; init; } = new Dictionary<string, string[]>();

    // registry:2 (notifications/endpoint.go): timeout 1s, threshold 10, backoff 1s when unset or not positive.
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public int Threshold { get; init; } = 10;

    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    public bool Disabled { get; init; }

    /// <summary><c>ignoredmediatypes</c> and <c>ignore.mediatypes</c> together, as registry:2 merges them.</summary>
    public IReadOnlySet<string> IgnoredMediaTypes { get; init; } = new HashSet<string>();

    public IReadOnlySet<string> IgnoredActions { get; init; } = new HashSet<string>();

    public bool Ignores(string action, string? mediaType) =>
        IgnoredActions.Contains(action) || (mediaType is not null && IgnoredMediaTypes.Contains(mediaType));
}
