namespace Berth.Bench.Workloads;

internal enum ConcurrencyKind
{
    /// <summary>-c: blob pushes and pulls.</summary>
    Blobs,

    /// <summary>--manifest-concurrency: many small requests.</summary>
    Manifests,

    /// <summary>Eight clients, as in the "many small images" target.</summary>
    EightClients,
}
