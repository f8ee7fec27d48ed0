namespace Berth.Core.Configuration;

/// <summary>
/// registry:2's <c>http.debug</c>: a second listener that serves only <c>/debug/health</c> and, when enabled, the
/// Prometheus metrics. Nothing on it answers the registry API, and the metrics are never served on <c>http.addr</c>.
/// </summary>
public sealed class DebugOptions
{
    public const string DefaultPrometheusPath = "/metrics";

    /// <summary>The debug listener's address; null when there is none.</summary>
    public ListenAddress? Addr { get; init; }

    public bool PrometheusEnabled { get; init; }

    public string PrometheusPath { get; init; } = DefaultPrometheusPath;

    public static DebugOptions Bind(ConfigSection? debug)
    {
        if (debug is null)
        {
            return new DebugOptions();
        }

        var addrText = debug.GetString("addr");
        ListenAddress? addr = null;
        if (!string.IsNullOrEmpty(addrText) && !ListenAddress.TryParse(addrText, out addr))
        {
            throw debug.Error("addr", $"'{addrText}' is not a listen address such as localhost:5001 or 127.0.0.1:5001");
        }

        var prometheus = debug.GetSection("prometheus");
        var enabled = prometheus?.GetBool("enabled", false) ?? false;
        var path = prometheus?.GetString("path");
        if (string.IsNullOrEmpty(path))
        {
            path = DefaultPrometheusPath;
        }

        if (!path.StartsWith('/') || path == "/" || path.Contains('?') || path.Contains('#'))
        {
            throw prometheus!.Error("path", $"'{path}' is not a path such as /metrics");
        }

        if (enabled && addr is null)
        {
            throw prometheus!.Error("enabled", "needs http.debug.addr (REGISTRY_HTTP_DEBUG_ADDR): metrics are served only on the debug listener");
        }

        return new DebugOptions { Addr = addr, PrometheusEnabled = enabled, PrometheusPath = path.TrimEnd('/') };
    }
}
