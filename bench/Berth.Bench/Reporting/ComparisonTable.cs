using System.Text.Json;
using Berth.Bench.Cli;

namespace Berth.Bench.Reporting;

/// <summary>
/// The side-by-side table: one row per workload and metric, one column per registry run, and the advantage of the
/// first column over the second (above 1 means the first is better: more throughput, less latency, RSS or CPU).
/// </summary>
internal static class ComparisonTable
{
    private sealed record Column(string Name, BenchReport? Main, Dictionary<string, WorkloadReport> Results, StartupReport? Startup, BenchReport? Settled);

    private sealed record Metric(string Label, bool HigherIsBetter, Func<WorkloadReport, double?> Value);

    private static readonly Metric[] Metrics =
    [
        new("{unit}/s", true, r => r.Completed > 0 ? r.OpsPerSecond : null),
        new("MB/s", true, r => r.Bytes > 0 ? r.MBPerSecond : null),
        new("p99 ms", false, r => r.P99Ms),
        new("server CPU s/GB pushed", false, r => r.CpuSecondsPerGBPushed),
    ];

    public static int Run(TableOptions options)
    {
        var columns = options.Columns.Select(c => Load(c.Name, c.Files)).ToList();
        Console.Write(Render(columns));
        return 0;
    }

    private static string Render(IReadOnlyList<Column> columns)
    {
        var compare = columns.Count >= 2;
        var header = new List<string> { "workload", "metric", columns[0].Name };
        if (compare)
            header.AddRange([columns[1].Name, $"{columns[0].Name} advantage"]);
        header.AddRange(columns.Skip(2).Select(c => c.Name));

        var rows = new List<string[]>();
        void Add(string workload, string metric, bool higherIsBetter, IReadOnlyList<double?> values, bool isCount = false)
        {
            if (values.All(v => v is null))
                return;
            Func<double?, string> format = isCount ? v => v?.ToString("F0") ?? "—" : Format;
            var row = new List<string> { workload, metric, format(values[0]) };
            if (compare)
                row.AddRange([format(values[1]), isCount ? "" : Ratio(values[0], values[1], higherIsBetter)]);
            row.AddRange(values.Skip(2).Select(format));
            rows.Add([.. row]);
        }

        // What an operator waits for and pays at rest, before any workload.
        Add("start-up", "ms to first /v2/, median", false, [.. columns.Select(c => Median(c.Startup?.Milliseconds))]);
        Add("start-up", "ms, slowest of the runs", false, [.. columns.Select(c => c.Startup?.Milliseconds.Max())]);
        var idle = columns.Select(c => c.Startup?.IdleSeconds).FirstOrDefault(s => s is not null);
        Add($"idle, {idle:F0} s after start", "RSS MiB, median", false, [.. columns.Select(c => Mib((long?)Median(c.Startup?.IdleRssKiB.Select(k => (double)k).ToList())))]);

        var names = columns.SelectMany(c => c.Results.Keys).Distinct().ToList();
        foreach (var name in names)
        {
            var results = columns.Select(c => c.Results.GetValueOrDefault(name)).ToList();
            var unit = results.First(r => r is not null)!.Unit;
            if (name.StartsWith("rss-probe", StringComparison.Ordinal))
            {
                Add(name, "server peak RSS MiB", false, [.. results.Select(r => r is null ? null : Mib(r.ServerHwmKiB))]);
                continue;
            }

            foreach (var metric in Metrics)
                Add(name, metric.Label.Replace("{unit}", unit, StringComparison.Ordinal), metric.HigherIsBetter, [.. results.Select(r => r is null ? null : metric.Value(r))]);
            if (results.Any(r => r is { Errors: > 0 } or { Unfinished: > 0 }))
                Add(name, "errors (unfinished)", false, [.. results.Select(r => r is null ? null : (double?)r.Errors + r.Unfinished)], isCount: true);
        }

        Add("whole run", "server peak RSS MiB", false, [.. columns.Select(c => Mib(c.Main?.ServerPeakRssKiB))]);
        var settle = columns.Select(c => c.Settled?.SettleSeconds).FirstOrDefault(s => s is not null);
        Add($"after the run, {settle:F0} s idle", "RSS MiB", false, [.. columns.Select(c => Mib(c.Settled?.ServerRssAfterSettleKiB))]);
        Add("push-* together", "server CPU s/GB pushed", false, [.. columns.Select(CpuPerGBPushed)]);
        Add("rss-probe-1g ÷ rss-probe-100m", "RSS growth", false, [.. columns.Select(ProbeGrowth)]);

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new System.Text.StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])).ToArray()).AppendLine(" |");
        Line(header);
        text.Append('|').AppendJoin('|', widths.Select((w, i) => i < 2 ? new string('-', w + 2) : new string('-', w + 1) + ":")).AppendLine("|");
        foreach (var row in rows)
            Line(row);
        return text.ToString();
    }

    private static Column Load(string name, IReadOnlyList<string> files)
    {
        BenchReport? main = null;
        StartupReport? startup = null;
        BenchReport? settled = null;
        var results = new Dictionary<string, WorkloadReport>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
                continue;
            using var stream = File.OpenRead(file);
            var report = JsonSerializer.Deserialize(stream, ReportJsonContext.Default.BenchReport)
                ?? throw new InvalidDataException($"{file}: empty report");
            if (report.Startup is not null)
            {
                startup ??= report.Startup;
                continue;
            }

            main ??= report;
            if (report.ServerRssAfterSettleKiB is not null)
                settled ??= report;
            foreach (var result in report.Results)
                results.TryAdd(result.Name, result);
        }

        return new Column(name, main, results, startup, settled);
    }

    private static double? CpuPerGBPushed(Column column)
    {
        // The blob pushes only: small images and the RSS probes measure other things.
        var pushes = column.Results.Values.Where(r => r.PushedBytes > 0 && r.ServerCpuSeconds is not null && r.Name.StartsWith("push-", StringComparison.Ordinal)).ToList();
        var bytes = pushes.Sum(r => r.PushedBytes);
        return bytes == 0 ? null : pushes.Sum(r => r.ServerCpuSeconds!.Value) / (bytes / 1e9);
    }

    private static double? ProbeGrowth(Column column) =>
        column.Results.GetValueOrDefault("rss-probe-1g")?.ServerHwmKiB is { } big && column.Results.GetValueOrDefault("rss-probe-100m")?.ServerHwmKiB is { } small && small > 0
            ? (double)big / small
            : null;

    private static double? Mib(long? kib) => kib / 1024.0;

    private static double? Median(IReadOnlyList<double>? values)
    {
        if (values is not { Count: > 0 })
            return null;
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ratio(double? first, double? second, bool higherIsBetter)
    {
        if (first is not { } a || second is not { } b || a <= 0 || b <= 0)
            return "";
        return $"{(higherIsBetter ? a / b : b / a):F2}×";
    }

    private static string Format(double? value) => value switch
    {
        null => "—",
        >= 100 => value.Value.ToString("F0"),
        >= 10 => value.Value.ToString("F1"),
        _ => value.Value.ToString("F2"),
    };
}
