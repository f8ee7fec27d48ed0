using Berth.Bench.Cli;
using Berth.Bench.Content;

namespace Berth.Bench.Workloads;

/// <summary>The workloads of zot's zb plus the ones Berth's targets name, in the order "all" runs them.</summary>
internal static class WorkloadCatalog
{
    private const long MiB = 1024 * 1024;

    /// <summary>zb's mixed distribution: 20% 1 MiB, 70% 10 MiB, 10% 100 MiB.</summary>
    private static readonly SizeMix Mixed = SizeMix.Weighted((0.2, 1 * MiB), (0.7, 10 * MiB), (0.1, 100 * MiB));

    /// <summary>Default counts fit the whole two-registry comparison in ten minutes on two cores.</summary>
    public static readonly IReadOnlyList<IWorkload> All =
    [
        new PushWorkload("push-mono-1m", 1, SizeMix.Fixed(1 * MiB), chunked: false, 300),
        new PushWorkload("push-mono-10m", 2, SizeMix.Fixed(10 * MiB), chunked: false, 100),
        new PushWorkload("push-mono-100m", 3, SizeMix.Fixed(100 * MiB), chunked: false, 32),
        new PushWorkload("push-chunked-1m", 4, SizeMix.Fixed(1 * MiB), chunked: true, 300),
        new PushWorkload("push-chunked-10m", 5, SizeMix.Fixed(10 * MiB), chunked: true, 100),
        new PushWorkload("push-chunked-100m", 6, SizeMix.Fixed(100 * MiB), chunked: true, 32),
        new PullWorkload("pull-1m", 7, SizeMix.Fixed(1 * MiB), 2000),
        new PullWorkload("pull-10m", 8, SizeMix.Fixed(10 * MiB), 600),
        new PullWorkload("pull-100m", 9, SizeMix.Fixed(100 * MiB), 100),
        new PullWorkload("pull-mixed", 10, Mixed, 400),
        new PushWorkload("push-mixed", 11, Mixed, chunked: false, 60),
        new PullPushMixedWorkload("pull-push-mixed", 12, Mixed, 120),
        new ManifestWorkload("manifest-head-tag", head: true, byDigest: false, 40_000),
        new ManifestWorkload("manifest-get-tag", head: false, byDigest: false, 40_000),
        new ManifestWorkload("manifest-head-digest", head: true, byDigest: true, 40_000),
        new ManifestWorkload("manifest-get-digest", head: false, byDigest: true, 40_000),
        new TagsListWorkload("tags-list", 13, 20_000),
        new CatalogWorkload("catalog", 200),
        new SmallImagesWorkload("small-images", 14, 50),
    ];

    /// <summary>Run on their own, not by "all": bench/gc-latency.sh measures them with and without online collection.</summary>
    public static readonly IReadOnlyList<IWorkload> Extra =
    [
        new BlobHeadWorkload("blob-head", 40_000),
    ];

    /// <summary>Single chunked pushes to read the server's peak RSS from a fresh process; run on their own, not by "all".</summary>
    public static readonly IReadOnlyList<IWorkload> Probes =
    [
        new PushWorkload("rss-probe-100m", 15, SizeMix.Fixed(100 * MiB), chunked: true, 1),
        new PushWorkload("rss-probe-1g", 16, SizeMix.Fixed(1024 * MiB), chunked: true, 1),
    ];

    public static IReadOnlyList<(IWorkload Workload, int Count, int Concurrency)> Select(BenchOptions options)
    {
        var selected = new List<(IWorkload, int, int)>();
        foreach (var request in options.Workloads)
        {
            if (request.Name == "all")
            {
                selected.AddRange(All.Select(w => (w, CountOf(w, options, request.Count), ConcurrencyOf(w, options, request.Concurrency))));
                continue;
            }

            var workload = All.Concat(Probes).Concat(Extra).FirstOrDefault(w => w.Name == request.Name)
                ?? throw new UsageException($"unknown workload '{request.Name}' (--list shows them)");
            selected.Add((workload, CountOf(workload, options, request.Count), ConcurrencyOf(workload, options, request.Concurrency)));
        }

        return selected;
    }

    private static int CountOf(IWorkload workload, BenchOptions options, int? requested)
    {
        if ((requested ?? options.Count) is { } count)
            return count;
        if (options.SizeScale != SizeScale.Tiny)
            return workload.DefaultCount;
        // Tiny mode proves every workload works in a few seconds; the numbers it prints mean nothing.
        return workload.Concurrency == ConcurrencyKind.Manifests ? 200 : Math.Clamp(workload.DefaultCount / 20, 1, 10);
    }

    private static int ConcurrencyOf(IWorkload workload, BenchOptions options, int? requested) => requested ?? workload.Concurrency switch
    {
        ConcurrencyKind.Manifests => options.ManifestConcurrency,
        ConcurrencyKind.EightClients => 8,
        _ => options.Concurrency,
    };
}
