using Berth.Bench.Cli;
using Berth.Bench.Content;
using Berth.Bench.Registry;

namespace Berth.Bench.Workloads;

/// <summary>What every workload shares: options, the content pool and the fixtures seeded once per run.</summary>
internal sealed class BenchContext
{
    public const int SetupConnections = 16;
    private const long MiB = 1024 * 1024;

    public BenchContext(BenchOptions options, TextWriter log)
    {
        Options = options;
        Log = log;
        var tiny = options.SizeScale == SizeScale.Tiny;
        Pool = new RandomPool(options.Seed, tiny ? (int)(4 * MiB) : (int)(128 * MiB));
        Pulls = new PullFixture(this);
        Manifests = new ManifestFixture(this);
        Repositories = new RepositoriesFixture(this, options.Repositories ?? (tiny ? 20 : 1000));
    }

    public BenchOptions Options { get; }

    public TextWriter Log { get; }

    public RandomPool Pool { get; }

    public PullFixture Pulls { get; }

    public ManifestFixture Manifests { get; }

    public RepositoriesFixture Repositories { get; }

    public bool Tiny => Options.SizeScale == SizeScale.Tiny;

    /// <summary>Blob sizes are nominal (1 MiB, 10 MiB, ...) and shrink 64-fold in tiny mode.</summary>
    public long Size(long nominal) => Tiny ? Math.Max(RandomPool.HeaderLength * 2, nominal / 64) : nominal;

    /// <summary>Blob keys: a namespace per workload or fixture, so no two blobs of a run share content.</summary>
    public static long Key(int space, int index) => ((long)space << 32) | (uint)index;

    /// <summary>A seeded RNG per workload: the same choices against every registry (HashCode is randomized per process).</summary>
    public Random Random(int space) => new(unchecked((Options.Seed * 7919) + space));

    public RegistryClient CreateSetupClient() => new(Options.Url, SetupConnections);
}
