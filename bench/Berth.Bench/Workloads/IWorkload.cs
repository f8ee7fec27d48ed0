using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

internal interface IWorkload
{
    string Name { get; }

    /// <summary>What one operation is, for the report: "requests", "images", "listings".</summary>
    string Unit { get; }

    /// <summary>Whether the bytes moved are pushed to the registry (they count towards server CPU seconds per GB pushed).</summary>
    bool Pushes { get; }

    int DefaultCount { get; }

    ConcurrencyKind Concurrency { get; }

    /// <summary>Seeds what the workload reads and computes digests; none of this is timed.</summary>
    Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken);
}
