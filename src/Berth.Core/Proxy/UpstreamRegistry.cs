using Microsoft.Extensions.Logging;

namespace Berth.Core.Proxy;

/// <summary>The configured upstreams, each with its own HTTP client, token cache and circuit breaker.</summary>
public sealed class UpstreamRegistry : IDisposable
{
    private readonly Dictionary<string, Upstream> _byPrefix = new(StringComparer.Ordinal);

    public UpstreamRegistry(ProxyOptions options, TimeProvider time, ProxyMetrics metrics, ILogger<Upstream> logger)
    {
        Options = options;
        All = options.Upstreams.Select(o => new Upstream(o, time, metrics, logger)).ToList();
        foreach (var upstream in All.Where(u => u.Options.Prefix is not null))
        {
            _byPrefix[upstream.Options.Prefix!] = upstream;
        }
    }

    public ProxyOptions Options { get; }

    public IReadOnlyList<Upstream> All { get; }

    public Upstream? ByPrefix(string prefix) => _byPrefix.GetValueOrDefault(prefix);

    /// <summary>The upstream whose host the OCI <c>ns</c> names; docker.io names Docker Hub's registry host.</summary>
    public Upstream? ByNamespace(string ns) =>
        All.FirstOrDefault(u => string.Equals(u.Options.RemoteUrl.Authority, ns, StringComparison.OrdinalIgnoreCase) ||
                                string.Equals(u.Options.RemoteUrl.Host, ns, StringComparison.OrdinalIgnoreCase) ||
                                (ns.Equals("docker.io", StringComparison.OrdinalIgnoreCase) && u.Options.IsDockerHub));

    public void Dispose()
    {
        foreach (var upstream in All)
        {
            upstream.Dispose();
        }
    }
}
