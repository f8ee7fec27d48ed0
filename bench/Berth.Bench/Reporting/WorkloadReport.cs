namespace Berth.Bench.Reporting;

/// <summary>One workload's figures as written to --json; MB are 10^6 bytes.</summary>
internal sealed record WorkloadReport
{
    public required string Name { get; init; }
    public required string Unit { get; init; }
    public int Concurrency { get; init; }
    public int Requested { get; init; }
    public int Completed { get; init; }
    public int Errors { get; init; }
    public int Unfinished { get; init; }
    public bool HitDeadline { get; init; }
    public long Bytes { get; init; }
    public long PushedBytes { get; init; }
    public double Seconds { get; init; }
    public double OpsPerSecond { get; init; }
    public double MBPerSecond { get; init; }
    public double? P50Ms { get; init; }
    public double? P90Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? ServerCpuSeconds { get; init; }

    /// <summary>Highest RSS sampled (every 50 ms) while this workload ran.</summary>
    public long? ServerRssPeakKiB { get; init; }

    /// <summary>VmHWM after this workload: the peak since the server started.</summary>
    public long? ServerHwmKiB { get; init; }

    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    public double? CpuSecondsPerGBPushed => ServerCpuSeconds is { } cpu && PushedBytes > 0 ? cpu / (PushedBytes / 1e9) : null;
}
