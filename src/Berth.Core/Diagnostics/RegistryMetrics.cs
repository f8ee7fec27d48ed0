using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Berth.Core.Diagnostics;

/// <summary>
/// The registry's own instruments on one <see cref="Meter"/> named <c>Berth</c>, exported in Prometheus form on the
/// debug listener. Names follow OpenTelemetry (dotted, unit separate); the exporter turns
/// <c>berth.http.request.duration</c> with unit <c>s</c> into <c>berth_http_request_duration_seconds</c> and adds
/// <c>_total</c> to counters. Features that come later (garbage collection, notifications, the proxy) create their
/// instruments on <see cref="Meter"/> so they are exported with these.
/// </summary>
public sealed class RegistryMetrics : IDisposable
{
    public const string MeterName = "Berth";

    // From 1 ms (a cached manifest) to 5 min (a multi-GiB layer on a slow link).
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _receivedBytes;
    private readonly Counter<long> _sentBytes;
    private readonly UpDownCounter<long> _uploadsInProgress;
    private readonly Histogram<double> _storageDuration;
    private readonly Counter<long> _storageErrors;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;

    /// <summary>Without a factory (tools, unit tests) the meter is this object's own.</summary>
    public RegistryMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = Meter.CreateCounter<long>("berth.http.requests", "{request}", "HTTP requests answered, by route, method and status");
        _requestDuration = Meter.CreateHistogram("berth.http.request.duration", "s", "Time from the request's arrival to the end of its response",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _receivedBytes = Meter.CreateCounter<long>("berth.http.received", "By", "Request body bytes received, by route");
        _sentBytes = Meter.CreateCounter<long>("berth.http.sent", "By", "Response body bytes sent, by route");
        _uploadsInProgress = Meter.CreateUpDownCounter<long>("berth.uploads.in_progress", "{request}", "Upload requests (POST, PATCH, PUT) receiving blob data now");
        _storageDuration = Meter.CreateHistogram("berth.storage.operation.duration", "s", "Storage driver calls, by driver and operation",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _storageErrors = Meter.CreateCounter<long>("berth.storage.errors", "{error}", "Storage driver calls that failed, by driver and operation");
        _cacheHits = Meter.CreateCounter<long>("berth.cache.hits", "{lookup}", "Cache lookups answered from the cache, by kind");
        _cacheMisses = Meter.CreateCounter<long>("berth.cache.misses", "{lookup}", "Cache lookups that went to storage, by kind");
    }

    /// <summary>The meter to create further instruments on.</summary>
    public Meter Meter { get; }

    public void RequestCompleted(string route, string method, int status, TimeSpan elapsed, long received, long sent)
    {
        var tags = new TagList { { "route", route }, { "method", method }, { "status", status } };
        _requests.Add(1, tags);
        _requestDuration.Record(elapsed.TotalSeconds, tags);
        var routeTag = new KeyValuePair<string, object?>("route", route);
        if (received > 0)
        {
            _receivedBytes.Add(received, routeTag);
        }

        if (sent > 0)
        {
            _sentBytes.Add(sent, routeTag);
        }
    }

    public void UploadStarted() => _uploadsInProgress.Add(1);

    public void UploadEnded() => _uploadsInProgress.Add(-1);

    public void StorageOperation(string driver, string operation, TimeSpan elapsed, bool failed)
    {
        var tags = new TagList { { "driver", driver }, { "operation", operation } };
        _storageDuration.Record(elapsed.TotalSeconds, tags);
        if (failed)
        {
            _storageErrors.Add(1, tags);
        }
    }

    public void CacheLookup(string kind, bool hit) =>
        (hit ? _cacheHits : _cacheMisses).Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
