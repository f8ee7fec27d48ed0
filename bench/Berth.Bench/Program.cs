using Berth.Bench.Cli;
using Berth.Bench.Lifecycle;
using Berth.Bench.Reporting;

namespace Berth.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "table")
                return ComparisonTable.Run(TableOptions.Parse(args[1..]));
            if (args.Length > 0 && args[0] == "startup")
                return await StartupProbe.RunAsync(StartupOptions.Parse(args[1..]), Console.Out);

            var options = BenchOptions.Parse(args);
            if (options.ShowHelp)
            {
                Console.WriteLine(BenchOptions.Usage);
                return 0;
            }

            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            var report = await BenchRun.RunAsync(options, Console.Out, cancel.Token);
            return report.Results.Any(r => r.Errors > 0 || r.Completed == 0) ? 2 : 0;
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"berth-bench: {ex.Message}");
            Console.Error.WriteLine(BenchOptions.Usage);
            return 64;
        }
    }
}
