namespace Berth.Bench.Reporting;

internal sealed record BenchReport
{
    public required string Url { get; init; }
    public required int Seed { get; init; }
    public required string SizeScale { get; init; }
    public required DateTimeOffset Started { get; init; }
    public int? ServerPid { get; init; }

    /// <summary>VmHWM at the end of the run: the server's peak RSS over everything, seeding included.</summary>
    public long? ServerPeakRssKiB { get; init; }

    public double? ServerCpuSeconds { get; init; }

    /// <summary>VmRSS after the last workload and <c>--settle</c> idle seconds: the memory the server hands back.</summary>
    public long? ServerRssAfterSettleKiB { get; init; }

    public double? SettleSeconds { get; init; }

    /// <summary>Set by <c>berth-bench startup</c>, which runs no workload.</summary>
    public StartupReport? Startup { get; init; }
    public List<WorkloadReport> Results { get; init; } = [];
}
