using System.Net;
using Berth.Server.Tests.Infrastructure;
using Berth.Testing.Prometheus;

namespace Berth.Server.Tests;

/// <summary>
/// http.debug with Prometheus metrics: the scrape parses as the exposition format, the registry's counters move
/// with traffic, and the debug listener serves only debug endpoints while the API listener never serves metrics.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime, IDisposable
{
    private RegistryFixture _registry = null!;
    private HttpClient _debug = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryFixture.StartAsync(new RegistrySettings { DebugListener = true });
        _debug = new HttpClient { BaseAddress = _registry.DebugAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync() => _registry.DisposeAsync().AsTask();

    public void Dispose() => _debug.Dispose();

    [Fact]
    public async Task Pushing_a_blob_moves_the_request_byte_and_storage_counters()
    {
        var before = await ScrapeAsync();
        var blob = new byte[300_000];
        Random.Shared.NextBytes(blob);

        var digest = await _registry.Client.PushBlobAsync("metrics/app", blob);
        using (var pull = await _registry.Client.GetAsync($"v2/metrics/app/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
            Assert.Equal(blob.Length, (await pull.Content.ReadAsByteArrayAsync()).Length);
        }

        var after = await ScrapeAsync();

        // Other registries in this test process share the meter's name, so counters can only be said to have grown by at least this much.
        Assert.True(Delta("berth_http_requests_total", ("route", "upload"), ("method", "POST"), ("status", "201")) >= 1);
        Assert.True(Delta("berth_http_requests_total", ("route", "blob"), ("method", "GET"), ("status", "200")) >= 1);
        Assert.True(Delta("berth_http_request_duration_seconds_count", ("route", "upload"), ("method", "POST"), ("status", "201")) >= 1);
        Assert.True(Delta("berth_http_received_bytes_total", ("route", "upload")) >= blob.Length);
        Assert.True(Delta("berth_http_sent_bytes_total", ("route", "blob")) >= blob.Length);
        Assert.True(Delta("berth_storage_operation_duration_seconds_count", ("driver", _registry.Services.Driver.Name)) >= 2);
        Assert.Equal("counter", after.Types["berth_http_requests_total"]);
        Assert.Equal("histogram", after.Types["berth_http_request_duration_seconds"]);
        Assert.Equal("histogram", after.Types["berth_storage_operation_duration_seconds"]);
        Assert.Equal("gauge", after.Types["berth_uploads_in_progress"]);

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
    }

    [Fact]
    public async Task Cache_lookups_are_counted_as_hits_and_misses()
    {
        var image = await _registry.Client.PushImageAsync("metrics/cached", "v1");
        for (var i = 0; i < 3; i++)
        {
            using var response = await _registry.Client.GetManifestAsync("metrics/cached", "v1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var scrape = await ScrapeAsync();

        Assert.True(scrape.Sum("berth_cache_hits_total", ("kind", "manifest")) >= 1, "repeated manifest pulls hit the cache");
        Assert.True(scrape.Sum("berth_cache_misses_total") >= 1);
        Assert.NotNull(image);
    }

    [Fact]
    public async Task Debug_listener_serves_health_and_metrics_and_nothing_of_the_API()
    {
        using var health = await _debug.GetAsync("debug/health");
        using var api = await _debug.GetAsync("v2/");
        using var catalog = await _debug.GetAsync("v2/_catalog");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("{}", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, catalog.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_not_served_on_the_registry_listener()
    {
        using var metrics = await _registry.Client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.DoesNotContain("berth_", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await _debug.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusTextParser.Parse(await response.Content.ReadAsStringAsync());
    }
}
