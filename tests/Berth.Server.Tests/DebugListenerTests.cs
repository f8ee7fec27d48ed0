using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// http.debug with Prometheus metrics: the debug listener serves only debug endpoints and the API listener never
/// serves metrics. The scrape itself is tested on a real berth process (Interop's MetricsTests): in this test process
/// several registries share the meter's name, which a scrape would show as duplicate series.
/// </summary>
public sealed class DebugListenerTests : IAsyncLifetime, IDisposable
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
    public async Task Debug_listener_serves_health_and_metrics_and_nothing_of_the_API()
    {
        using var health = await _debug.GetAsync("debug/health");
        using var metrics = await _debug.GetAsync("metrics");
        using var api = await _debug.GetAsync("v2/");
        using var catalog = await _debug.GetAsync("v2/_catalog");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("{}", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
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
}
