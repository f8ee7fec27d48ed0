using System.Text.Json;
using Berth.Bench.Cli;
using Berth.Bench.Registry;
using Berth.Bench.Reporting;
using Berth.Bench.Running;
using Berth.Bench.Workloads;

namespace Berth.Bench;

/// <summary>Runs the selected workloads one after another against one registry and reports each.</summary>
internal static class BenchRun
{
    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.ListWorkloads)
        {
            foreach (var w in WorkloadCatalog.All.Concat(WorkloadCatalog.Probes).Concat(WorkloadCatalog.Extra))
            {
                var concurrency = w.Concurrency switch
                {
                    ConcurrencyKind.Manifests => "--manifest-concurrency",
                    ConcurrencyKind.EightClients => "8 clients",
                    _ => "-c",
                };
                output.WriteLine($"{w.Name,-22} default n={w.DefaultCount,-6} concurrency: {concurrency}");
            }
            return new BenchReport { Url = "", Seed = options.Seed, SizeScale = "", Started = DateTimeOffset.UtcNow };
        }

        var selected = WorkloadCatalog.Select(options);
        var server = options.ServerPid is { } pid ? new ServerProcess(pid) : null;
        if (server is { IsAlive: false })
            throw new UsageException($"--server-pid {server.Pid}: no such process");

        await CheckApiAsync(options, cancellationToken);
        var context = new BenchContext(options, output);
        var report = new BenchReport
        {
            Url = options.Url.ToString(),
            Seed = options.Seed,
            SizeScale = options.SizeScale.ToString().ToLowerInvariant(),
            Started = DateTimeOffset.UtcNow,
            ServerPid = options.ServerPid,
        };
        output.WriteLine($"berth-bench: {options.Url} scale={report.SizeScale} seed={options.Seed} deadline={options.Deadline.TotalSeconds}s/workload");

        foreach (var (workload, count, concurrency) in selected)
        {
            var result = await RunOneAsync(context, server, workload, count, concurrency, cancellationToken);
            report.Results.Add(result);
            output.WriteLine(ConsoleReport.Line(result));
            foreach (var sample in result.ErrorSamples)
                output.WriteLine($"    error {sample}");
        }

        report = report with
        {
            ServerPeakRssKiB = server?.PeakRssKiB(),
            ServerCpuSeconds = server?.CpuSeconds(),
        };
        if (server is not null && options.Settle > TimeSpan.Zero)
        {
            // registry:2's Go runtime returns freed memory within seconds; this is what an operator sees after a burst.
            output.WriteLine($"berth-bench: idle for {options.Settle.TotalSeconds:F0} s, then reading the server's RSS");
            await Task.Delay(options.Settle, cancellationToken);
            report = report with { ServerRssAfterSettleKiB = server.RssKiB(), SettleSeconds = options.Settle.TotalSeconds };
            output.WriteLine($"berth-bench: RSS after the run and {options.Settle.TotalSeconds:F0} s idle: {report.ServerRssAfterSettleKiB / 1024.0:F1} MiB");
        }
        if (options.JsonPath is { } path)
        {
            await using var file = File.Create(path);
            await JsonSerializer.SerializeAsync(file, report, ReportJsonContext.Default.BenchReport, cancellationToken);
        }

        return report;
    }

    private static async Task<WorkloadReport> RunOneAsync(BenchContext context, ServerProcess? server, IWorkload workload, int count, int concurrency, CancellationToken cancellationToken)
    {
        using var client = new RegistryClient(context.Options.Url, concurrency);
        WorkloadOperation operation;
        try
        {
            operation = await workload.PrepareAsync(context, client, count, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new WorkloadReport
            {
                Name = workload.Name,
                Unit = workload.Unit,
                Concurrency = concurrency,
                Requested = count,
                Errors = 1,
                ErrorSamples = [$"setup: {ex.GetType().Name}: {ex.Message}"],
            };
        }

        var cpuBefore = server?.CpuSeconds();
        LoadResult result;
        long? rssPeak = null;
        if (server is null)
        {
            result = await LoadRunner.RunAsync(count, concurrency, context.Options.Deadline, operation, cancellationToken);
        }
        else
        {
            await using var sampler = new RssSampler(server);
            result = await LoadRunner.RunAsync(count, concurrency, context.Options.Deadline, operation, cancellationToken);
            rssPeak = Math.Max(sampler.PeakKiB, server.RssKiB() ?? 0);
        }

        var seconds = result.Elapsed.TotalSeconds;
        return new WorkloadReport
        {
            Name = workload.Name,
            Unit = workload.Unit,
            Concurrency = concurrency,
            Requested = count,
            Completed = result.Completed,
            Errors = result.Errors,
            Unfinished = result.Unfinished,
            HitDeadline = result.HitDeadline,
            Bytes = result.Bytes,
            PushedBytes = workload.Pushes ? result.Bytes : 0,
            Seconds = seconds,
            OpsPerSecond = result.Completed / seconds,
            MBPerSecond = result.Bytes / 1e6 / seconds,
            P50Ms = Percentile(result, 50),
            P90Ms = Percentile(result, 90),
            P99Ms = Percentile(result, 99),
            ServerCpuSeconds = server?.CpuSeconds() - cpuBefore,
            ServerRssPeakKiB = rssPeak,
            ServerHwmKiB = server?.PeakRssKiB(),
            ErrorSamples = result.ErrorSamples,
        };
    }

    private static double? Percentile(LoadResult result, double p) => result.LatenciesMs.Length == 0 ? null : Math.Round(result.Percentile(p), 2);

    /// <summary>GET /v2/ must answer 200 before any load: a wrong URL should fail in a second, not after every deadline.</summary>
    private static async Task CheckApiAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("v2/", cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new UsageException($"GET {options.Url}v2/ answered {(int)response.StatusCode}; is this a registry without auth?");
    }
}
