using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>
/// Blob HEAD, the check a push makes before it skips an upload, cycling through the manifest fixture's images (a
/// manifest is a blob of its repository too). Run beside garbage collection it shows what a sweep costs pushers.
/// </summary>
internal sealed class BlobHeadWorkload(string name, int defaultCount) : IWorkload
{
    public string Name => name;

    public string Unit => "requests";

    public bool Pushes => false;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.Manifests;

    public async Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        var digests = (await context.Manifests.GetAsync(cancellationToken)).Select(image => image.Digest).ToArray();
        return async (i, ct) =>
        {
            if (!await client.BlobExistsAsync(ManifestFixture.Repository, digests[i % digests.Length], ct))
                throw new InvalidOperationException($"blob {digests[i % digests.Length]} answered 404");
            return 0;
        };
    }
}
