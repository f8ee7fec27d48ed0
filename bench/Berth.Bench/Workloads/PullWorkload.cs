using Berth.Bench.Content;
using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>Blob GETs of seeded images, the body read and discarded; the blob of each request drawn from the size mix.</summary>
internal sealed class PullWorkload(string name, int keySpace, SizeMix sizes, int defaultCount) : IWorkload
{
    public string Name => name;

    public string Unit => "requests";

    public bool Pushes => false;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.Blobs;

    public async Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        var choices = await ChooseAsync(context, keySpace, sizes, count, cancellationToken);
        return (i, ct) => client.PullBlobAsync(PullFixture.Repository, choices[i].Digest, choices[i].Size, ct);
    }

    /// <summary>The blob each of <paramref name="count"/> pulls reads, chosen with the workload's seeded RNG.</summary>
    public static async Task<PooledBlob[]> ChooseAsync(BenchContext context, int keySpace, SizeMix sizes, int count, CancellationToken cancellationToken)
    {
        var seeded = new Dictionary<long, PooledBlob[]>();
        foreach (var size in sizes.Sizes)
            seeded[size] = await context.Pulls.GetAsync(size, cancellationToken);
        var random = context.Random(keySpace);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var candidates = seeded[sizes.Pick(random)];
            return candidates[random.Next(candidates.Length)];
        })];
    }
}
