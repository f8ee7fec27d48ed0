using Berth.Bench.Content;
using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>Many small images, each in its own repository: three small layers, a config and a manifest per operation.</summary>
internal sealed class SmallImagesWorkload(string name, int keySpace, int defaultCount) : IWorkload
{
    private static readonly long[] LayerSizes = [4 * 1024, 64 * 1024, 512 * 1024];

    public string Name => name;

    public string Unit => "images";

    public bool Pushes => true;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.EightClients;

    public Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        var specs = Enumerable.Range(0, count)
            .SelectMany(i => LayerSizes.Select((size, l) => (BenchContext.Key(keySpace, (i * LayerSizes.Length) + l), context.Size(size))))
            .ToArray();
        var layers = PooledBlob.CreateMany(context.Pool, specs, cancellationToken);
        var images = Enumerable.Range(0, count)
            .Select(i => ImageManifest.Create($"{name}-{i}", layers[(i * LayerSizes.Length)..((i + 1) * LayerSizes.Length)]))
            .ToArray();
        return Task.FromResult<WorkloadOperation>(async (i, ct) =>
        {
            return await ImagePusher.PushNewAsync(client, $"bench/{name}/i{i:D4}", "latest", images[i], chunked: false, ct) + images[i].Config.Size;
        });
    }
}
