namespace Berth.Bench.Reporting;

internal static class ConsoleReport
{
    public static string Line(WorkloadReport r)
    {
        var line = $"{r.Name,-22} c={r.Concurrency,-3} done {r.Completed}/{r.Requested} err {r.Errors}"
            + $"  {r.OpsPerSecond,9:F1} {r.Unit}/s {r.MBPerSecond,8:F1} MB/s"
            + $"  p50 {Ms(r.P50Ms)} p90 {Ms(r.P90Ms)} p99 {Ms(r.P99Ms)} ms";
        if (r.ServerCpuSeconds is { } cpu)
            line += $"  cpu {cpu:F2} s";
        if (r.CpuSecondsPerGBPushed is { } perGB)
            line += $" ({perGB:F2} s/GB)";
        if (r.ServerRssPeakKiB is { } rss)
            line += $"  rss {rss / 1024.0:F0} MiB";
        if (r.HitDeadline)
            line += "  [deadline]";
        return line;
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("F1") : "-";
}
