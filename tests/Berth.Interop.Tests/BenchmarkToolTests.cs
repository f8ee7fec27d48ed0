using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// The side-by-side benchmark's load tool runs every workload against the real berth process in its tiny mode. This
/// proves the harness works; the figures are the benchmark's business (bench/compare.sh), never asserted here.
/// </summary>
public sealed class BenchmarkToolTests : BerthOnDiskTest
{
    [Fact]
    public async Task Load_tool_runs_every_workload_without_errors_in_tiny_mode()
    {
        var result = await ExternalProcess.RunAsync("dotnet", [RepositoryRoot.BenchDll, "--url", Registry.BaseUri.ToString(), "--tiny"], TimeSpan.FromMinutes(3));

        result.EnsureSuccess("berth-bench --tiny");
        foreach (var workload in new[] { "push-mono-1m", "push-chunked-1m", "pull-1m", "pull-mixed", "manifest-head-tag", "manifest-get-digest", "tags-list", "catalog", "small-images" })
        {
            Assert.Contains(workload, result.Output, StringComparison.Ordinal);
        }
    }
}
