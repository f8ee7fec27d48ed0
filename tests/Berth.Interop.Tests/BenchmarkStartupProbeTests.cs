using System.Text.Json.Nodes;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// The benchmark's start-up probe (`berth-bench startup`) launches the real berth, times its first /v2/ answer and
/// reads its idle RSS. This proves the harness measures a live server and cleans up after itself; the figures are
/// the benchmark's business (bench/compare.sh), never asserted here.
/// </summary>
public sealed class BenchmarkStartupProbeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Startup_probe_times_each_start_reads_the_idle_rss_and_stops_the_server()
    {
        var port = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port);
        var json = _temp.Combine("startup.json");

        var result = await ExternalProcess.RunAsync(
            "dotnet", [RepositoryRoot.BenchDll, "startup", "--url", $"http://127.0.0.1:{port}", "--runs", "2", "--idle", "1", "--json", json, "--", RepositoryRoot.BerthFileName, .. RepositoryRoot.BerthArguments("serve", config)],
            TimeSpan.FromMinutes(2));

        result.EnsureSuccess("berth-bench startup");
        var startup = JsonNode.Parse(await File.ReadAllTextAsync(json))!["startup"]!;
        var milliseconds = startup["milliseconds"]!.AsArray().Select(n => n!.GetValue<double>()).ToList();
        var rss = startup["idleRssKiB"]!.AsArray().Select(n => n!.GetValue<long>()).ToList();
        Assert.Equal(2, milliseconds.Count);
        Assert.All(milliseconds, ms => Assert.InRange(ms, 1, 30_000));
        // A live .NET server holds megabytes; a reading of a process that had already exited would be 0.
        Assert.All(rss, kib => Assert.True(kib > 4 * 1024, $"idle RSS {kib} KiB"));

        // Every server it started is gone: the port is free again.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{port}/v2/")));
    }

    public void Dispose() => _temp.Dispose();
}
