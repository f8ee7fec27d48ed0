using System.Net;
using System.Security.Cryptography;
using Berth.Interop.Tests.Support;
using Berth.Testing.Prometheus;

namespace Berth.Interop.Tests;

/// <summary>
/// The Prometheus endpoint of a real berth process (one registry, as in production): every scrape parses under a
/// strict exposition-format parser, and the counters move by exactly the traffic sent.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };
    private RegistryProcess _berth = null!;
    private Uri _metrics = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var debugPort = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port, $"""
              debug:
                addr: 127.0.0.1:{debugPort}
                prometheus:
                  enabled: true
            """);
        _berth = await RegistryProcess.StartBerthAsync(config, port);
        _metrics = new Uri($"http://127.0.0.1:{debugPort}/metrics");
    }

    public async Task DisposeAsync()
    {
        await _berth.DisposeAsync();
        _temp.Dispose();
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Pushing_and_pulling_a_blob_moves_request_byte_and_storage_counters_by_exactly_that_traffic()
    {
        var before = await ScrapeAsync();
        var blob = RandomNumberGenerator.GetBytes(300_000);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));

        using (var push = await _client.PostAsync(new Uri(_berth.BaseUri, $"v2/metrics/app/blobs/uploads/?digest={digest}"), new ByteArrayContent(blob)))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        Assert.Equal(blob, await _client.GetByteArrayAsync(new Uri(_berth.BaseUri, $"v2/metrics/app/blobs/{digest}")));

        // A request is recorded once its response is complete, which the client may see a moment before.
        var after = await ScrapeAsync(scrape => scrape.Sum("berth_http_requests_total") - before.Sum("berth_http_requests_total") >= 2);

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(1, Delta("berth_http_requests_total", ("route", "upload"), ("method", "POST"), ("status", "201")));
        Assert.Equal(1, Delta("berth_http_requests_total", ("route", "blob"), ("method", "GET"), ("status", "200")));
        Assert.Equal(2, Delta("berth_http_requests_total"));
        Assert.Equal(1, Delta("berth_http_request_duration_seconds_count", ("route", "upload"), ("method", "POST"), ("status", "201")));
        Assert.True(Delta("berth_http_request_duration_seconds_sum", ("route", "upload")) > 0);
        Assert.Equal(blob.Length, Delta("berth_http_received_bytes_total", ("route", "upload")));
        Assert.Equal(blob.Length, Delta("berth_http_sent_bytes_total", ("route", "blob")));
        Assert.True(Delta("berth_storage_operation_duration_seconds_count", ("driver", "filesystem"), ("operation", "open_read")) >= 1);
        Assert.True(Delta("berth_storage_operation_duration_seconds_count", ("driver", "filesystem"), ("operation", "open_writer")) + Delta("berth_storage_operation_duration_seconds_count", ("driver", "filesystem"), ("operation", "put_content")) >= 1);
        Assert.Equal(0, after.Sum("berth_uploads_in_progress"));
        Assert.Equal(0, after.Sum("berth_storage_errors_total"));

        Assert.Equal("counter", after.Types["berth_http_requests_total"]);
        Assert.Equal("histogram", after.Types["berth_http_request_duration_seconds"]);
        Assert.Equal("histogram", after.Types["berth_storage_operation_duration_seconds"]);
        Assert.Equal("gauge", after.Types["berth_uploads_in_progress"]);

        // The framework's own meters come with it.
        Assert.True(after.HasSeries("http_server_request_duration_seconds_count"), "ASP.NET Core's request histogram is exported");
        Assert.True(after.HasSeries("kestrel_active_connections"), "Kestrel's connection gauge is exported");
    }

    [Fact]
    public async Task Repeated_manifest_pulls_are_counted_as_cache_hits()
    {
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("v1", layerCount: 1, layerBytes: 1000, seed: 5);
        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{_berth.Host}/metrics/cached:v1");
        var before = await ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_berth.BaseUri, "v2/metrics/cached/manifests/v1"));
            request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var after = await ScrapeAsync(scrape => scrape.Sum("berth_cache_hits_total", ("kind", "manifest")) - before.Sum("berth_cache_hits_total", ("kind", "manifest")) >= 2);
        var hits = after.Sum("berth_cache_hits_total", ("kind", "manifest")) - before.Sum("berth_cache_hits_total", ("kind", "manifest"));
        Assert.True(hits >= 2, $"manifest cache hits went up by {hits}: " + string.Join(", ", after.Samples.Where(s => s.Name.StartsWith("berth_cache", StringComparison.Ordinal)).Select(s => $"{s.Name}{{{string.Join(",", s.Labels)}}}={s.Value}")));
        Assert.True(after.Sum("berth_cache_misses_total") >= 1, "the first lookups after the push went to storage");
    }

    private async Task<PrometheusScrape> ScrapeAsync(Func<PrometheusScrape, bool>? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            using var response = await _client.GetAsync(_metrics);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var scrape = PrometheusTextParser.Parse(await response.Content.ReadAsStringAsync());
            if (until is null || until(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(20);
        }
    }
}
