namespace Berth.Core.Configuration;

/// <summary>
/// Berth's own <c>http.limits</c> section (registry:2 has none): how many connections Kestrel holds and how long it
/// waits for idle or slow ones. The defaults bound what idle, unauthenticated connections can hold without cutting a
/// slow multi-GiB push short.
/// </summary>
public sealed class HttpLimitsOptions
{
    /// <summary>
    /// Enough for a large CI fleet pushing and pulling at once; bounds the memory and file descriptors that idle
    /// connections can pin. A connection beyond it is closed at once.
    /// </summary>
    public const int DefaultMaxConnections = 10_000;

    /// <summary>Kestrel's default: a client sends its request line and headers in well under a second.</summary>
    public static readonly TimeSpan DefaultRequestHeaderTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Kestrel's default, also the wait for the first request on a new connection. Above the 90 s after which Go's
    /// HTTP client (docker, containerd, skopeo) drops an idle connection, so a client never reuses one the server is
    /// closing at that moment, which would fail a PATCH or POST that cannot be retried.
    /// </summary>
    public static readonly TimeSpan DefaultKeepAliveTimeout = TimeSpan.FromSeconds(130);

    /// <summary>
    /// Kestrel's default floor, averaged over the body while the registry is reading it (time spent writing to
    /// storage does not count): a 1 KiB/s link is four times faster. It closes bodies that trickle to hold a connection.
    /// </summary>
    public const int DefaultMinRequestBodyDataRate = 240;

    /// <summary>How long a body may start slower than the floor: Kestrel's default.</summary>
    public static readonly TimeSpan MinRequestBodyDataRateGracePeriod = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromHours(24);

    public int MaxConnections { get; init; } = DefaultMaxConnections;

    public TimeSpan RequestHeaderTimeout { get; init; } = DefaultRequestHeaderTimeout;

    public TimeSpan KeepAliveTimeout { get; init; } = DefaultKeepAliveTimeout;

    /// <summary>Bytes per second; 0 turns the check off.</summary>
    public int MinRequestBodyDataRate { get; init; } = DefaultMinRequestBodyDataRate;

    public static HttpLimitsOptions Bind(ConfigSection? limits) => limits is null ? new HttpLimitsOptions() : new HttpLimitsOptions
    {
        MaxConnections = limits.GetInt("maxconnections", DefaultMaxConnections, min: 1),
        RequestHeaderTimeout = GetTimeout(limits, "requestheadertimeout", DefaultRequestHeaderTimeout),
        KeepAliveTimeout = GetTimeout(limits, "keepalivetimeout", DefaultKeepAliveTimeout),
        MinRequestBodyDataRate = limits.GetInt("minrequestbodydatarate", DefaultMinRequestBodyDataRate, min: 0),
    };

    // Kestrel checks timeouts once a second, so a shorter one would not mean what it says.
    private static TimeSpan GetTimeout(ConfigSection limits, string key, TimeSpan defaultValue)
    {
        var value = limits.GetDuration(key, defaultValue);
        return value >= ShortestTimeout && value <= LongestTimeout
            ? value
            : throw limits.Error(key, $"'{limits.GetString(key)}' is out of range: use a duration from 1s to 24h");
    }
}
