using System.Diagnostics.Metrics;

namespace Berth.Core.Proxy;

/// <summary>Per-upstream counters on the "Berth" meter (exported by the metrics feature).</summary>
public sealed class ProxyMetrics : IDisposable
{
    public const string MeterName = "Berth";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _stale;

    public ProxyMetrics()
    {
        _hits = _meter.CreateCounter<long>("berth.proxy.hits", "{request}", "Pulls served from the cache without fetching from the upstream");
        _misses = _meter.CreateCounter<long>("berth.proxy.misses", "{request}", "Pulls that fetched content from the upstream");
        _bytes = _meter.CreateCounter<long>("berth.proxy.fetched", "By", "Bytes fetched from the upstream");
        _errors = _meter.CreateCounter<long>("berth.proxy.errors", "{error}", "Upstream requests that failed");
        _stale = _meter.CreateCounter<long>("berth.proxy.stale_serves", "{request}", "Cached tags served while the upstream failed");
    }

    public void Hit(string upstream) => _hits.Add(1, Tag(upstream));

    public void Miss(string upstream) => _misses.Add(1, Tag(upstream));

    public void Fetched(string upstream, long bytes) => _bytes.Add(bytes, Tag(upstream));

    public void Error(string upstream) => _errors.Add(1, Tag(upstream));

    public void Stale(string upstream) => _stale.Add(1, Tag(upstream));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string upstream) => new("upstream", upstream);
}
