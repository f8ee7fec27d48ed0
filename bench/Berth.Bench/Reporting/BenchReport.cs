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
    public List<WorkloadReport> Results { get; init; } = [];
}
