using Berth.Bench.Content;
using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>zb's mixed load: 75% blob pulls and 25% image pushes, both with the mixed size distribution.</summary>
internal sealed class PullPushMixedWorkload(string name, int keySpace, SizeMix sizes, int defaultCount) : IWorkload
{
    private const double PullShare = 0.75;

    public string Name => name;

    public string Unit => "requests";

    // Only a quarter of the bytes are pushed; CPU seconds per GB pushed would mislead here.
    public bool Pushes => false;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.Blobs;

    public async Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        var random = context.Random(keySpace);
        var isPull = Enumerable.Range(0, count).Select(_ => random.NextDouble() < PullShare).ToArray();
        var pulls = await PullWorkload.ChooseAsync(context, keySpace, sizes, count, cancellationToken);
        var pushes = PushWorkload.Prepare(context, keySpace, name, sizes, Enumerable.Range(0, count).Where(i => !isPull[i]), cancellationToken);
        var repository = $"bench/{name}";
        return async (i, ct) =>
        {
            if (isPull[i])
                return await client.PullBlobAsync(PullFixture.Repository, pulls[i].Digest, pulls[i].Size, ct);
            return await ImagePusher.PushNewAsync(client, repository, $"t{i}", pushes[i], chunked: false, ct);
        };
    }
}
