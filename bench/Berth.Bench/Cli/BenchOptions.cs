namespace Berth.Bench.Cli;

internal sealed class BenchOptions
{
    public const string Usage = """
        usage: berth-bench --url http://127.0.0.1:5000 [options]
               berth-bench table --column NAME=run.json[,more.json] --column NAME=... [--markdown]
               berth-bench startup --url URL [--runs 5] [--idle 2] [--json PATH] -- COMMAND [ARGS...]

          --url URL               registry base URL (127.0.0.1 only, unless --allow-remote)
          --workloads LIST        all (default) | name[:count[:concurrency]],...   (--list shows names)
          --size-scale tiny|full  full: 1/10/100 MiB blobs, 1,000 repositories; tiny: sizes / 64, 20 repositories
          --tiny                  every workload in a few seconds (size-scale tiny, small counts, 3 s deadline)
          -c N                    concurrency of blob workloads (default 8)
          -n N                    request count of every workload (default: per workload, see --list)
          --manifest-concurrency N  connections for manifest and listing workloads (default 64)
          --deadline SECONDS      per-workload time bound (default 20)
          --setup-deadline SECONDS  time bound of each fixture's seeding (default 300)
          --repositories N        repositories seeded for tags/list and _catalog (default 1000)
          --seed N                RNG seed of all content and choices (default 20261127)
          --server-pid PID        sample this process's CPU seconds and RSS around each workload
          --settle SECONDS        with --server-pid: after the last workload, wait idle and read the server's RSS
          --json PATH             write the results as JSON
          --list                  print the workloads and their default counts
        """;

    public Uri Url { get; private set; } = new("http://127.0.0.1:5000");
    public IReadOnlyList<WorkloadRequest> Workloads { get; private set; } = [new("all", null, null)];
    public bool Tiny { get; private set; }
    public SizeScale SizeScale { get; private set; } = SizeScale.Full;
    public int Concurrency { get; private set; } = 8;
    public int? Count { get; private set; }
    public int ManifestConcurrency { get; private set; } = 64;
    public TimeSpan Deadline { get; private set; } = TimeSpan.FromSeconds(20);
    public TimeSpan SetupDeadline { get; private set; } = TimeSpan.FromSeconds(300);
    public int? Repositories { get; private set; }
    public int Seed { get; private set; } = 20261127;
    public int? ServerPid { get; private set; }
    public TimeSpan Settle { get; private set; }
    public string? JsonPath { get; private set; }
    public bool ListWorkloads { get; private set; }
    public bool ShowHelp { get; private set; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        var urlGiven = false;
        var allowRemote = false;
        bool? tinyScale = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value");
            int NextInt() => int.TryParse(Next(), out var n) && n > 0 ? n : throw new UsageException($"{arg} needs a positive integer");
            switch (arg)
            {
                case "--url": o.Url = ParseUrl(Next()); urlGiven = true; break;
                case "--workloads": o.Workloads = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(WorkloadRequest.Parse)]; break;
                case "--size-scale":
                    tinyScale = Next() switch
                    {
                        "tiny" => true,
                        "full" => false,
                        var s => throw new UsageException($"--size-scale must be tiny or full, not '{s}'"),
                    };
                    break;
                case "--tiny": o.Tiny = true; break;
                case "-c" or "--concurrency": o.Concurrency = NextInt(); break;
                case "-n" or "--count": o.Count = NextInt(); break;
                case "--manifest-concurrency": o.ManifestConcurrency = NextInt(); break;
                case "--deadline": o.Deadline = TimeSpan.FromSeconds(NextInt()); break;
                case "--setup-deadline": o.SetupDeadline = TimeSpan.FromSeconds(NextInt()); break;
                case "--repositories": o.Repositories = NextInt(); break;
                case "--seed": o.Seed = int.TryParse(Next(), out var seed) ? seed : throw new UsageException("--seed needs an integer"); break;
                case "--server-pid": o.ServerPid = NextInt(); break;
                case "--settle": o.Settle = TimeSpan.FromSeconds(NextInt()); break;
                case "--json": o.JsonPath = Next(); break;
                case "--allow-remote": allowRemote = true; break;
                case "--list": o.ListWorkloads = true; break;
                case "-h" or "--help": o.ShowHelp = true; break;
                default: throw new UsageException($"unknown argument '{arg}'");
            }
        }

        if (o.Tiny)
        {
            tinyScale ??= true;
            if (!args.Contains("--deadline"))
                o.Deadline = TimeSpan.FromSeconds(3);
            if (!args.Contains("--setup-deadline"))
                o.SetupDeadline = TimeSpan.FromSeconds(30);
        }

        o.SizeScale = tinyScale == true ? SizeScale.Tiny : SizeScale.Full;
        if (!urlGiven && !o.ListWorkloads && !o.ShowHelp)
            throw new UsageException("--url is required");
        // Benchmarks listen and load on loopback only; a typo must not turn this into a load test of someone else's host.
        if (!allowRemote && !o.Url.IsLoopback)
            throw new UsageException($"{o.Url} is not a loopback address (pass --allow-remote to insist)");
        return o;
    }

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new UsageException($"--url must be an http(s) URL, not '{text}'");
        return uri;
    }
}
