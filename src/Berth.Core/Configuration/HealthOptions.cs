namespace Berth.Core.Configuration;

/// <summary>
/// registry:2's <c>health</c> section: periodic checks that, while any fails, turn API requests into 503
/// UNAVAILABLE and list themselves on <c>/debug/health</c>. A check with a threshold fails only after that many
/// consecutive failures; without one (0), after the first.
/// </summary>
public sealed class HealthOptions
{
    /// <summary>registry:2's interval when a check names none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>registry:2 gives HTTP and TCP checks no timeout of their own; an unanswered check must still end.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ShortestInterval = TimeSpan.FromMilliseconds(100);

    public StorageHealthCheckOptions? StorageDriver { get; init; }

    public IReadOnlyList<FileHealthCheckOptions> Files { get; init; } = [];

    public IReadOnlyList<HttpHealthCheckOptions> Http { get; init; } = [];

    public IReadOnlyList<TcpHealthCheckOptions> Tcp { get; init; } = [];

    public bool Any => StorageDriver is not null || Files.Count > 0 || Http.Count > 0 || Tcp.Count > 0;

    public static HealthOptions Bind(ConfigSection? health)
    {
        if (health is null)
        {
            return new HealthOptions();
        }

        var storage = health.GetSection("storagedriver");
        return new HealthOptions
        {
            StorageDriver = storage is not null && storage.GetBool("enabled", false)
                ? new StorageHealthCheckOptions(Interval(storage), Threshold(storage))
                : null,
            Files = health.GetSectionList("file").Select(file =>
                new FileHealthCheckOptions(file.GetRequiredString("file"), Interval(file))).ToList(),
            Http = health.GetSectionList("http").Select(BindHttp).ToList(),
            Tcp = health.GetSectionList("tcp").Select(tcp =>
                new TcpHealthCheckOptions(tcp.GetRequiredString("addr"), Timeout(tcp), Interval(tcp), Threshold(tcp))).ToList(),
        };
    }

    private static HttpHealthCheckOptions BindHttp(ConfigSection http)
    {
        var uri = http.GetRequiredString("uri");
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            throw http.Error("uri", $"'{uri}' is not an absolute http or https URL");
        }

        return new HttpHealthCheckOptions(
            parsed, http.GetStringListMap("headers"), http.GetInt("statuscode", 200, min: 100, max: 599), Timeout(http), Interval(http), Threshold(http));
    }

    private static TimeSpan Interval(ConfigSection check)
    {
        var interval = check.GetDuration("interval", TimeSpan.Zero);
        if (interval == TimeSpan.Zero)
        {
            return DefaultInterval;
        }

        return interval >= ShortestInterval ? interval : throw check.Error("interval", "must be at least 100ms");
    }

    private static TimeSpan Timeout(ConfigSection check)
    {
        var timeout = check.GetDuration("timeout", TimeSpan.Zero);
        return timeout == TimeSpan.Zero ? DefaultTimeout : timeout;
    }

    private static int Threshold(ConfigSection check) => check.GetInt("threshold", 0, min: 0);
}

public sealed record StorageHealthCheckOptions(TimeSpan Interval, int Threshold);

public sealed record FileHealthCheckOptions(string File, TimeSpan Interval);

public sealed record HttpHealthCheckOptions(
    Uri Uri, IReadOnlyDictionary<string, string[]> Headers, int StatusCode, TimeSpan Timeout, TimeSpan Interval, int Threshold);

public sealed record TcpHealthCheckOptions(string Addr, TimeSpan Timeout, TimeSpan Interval, int Threshold);
