using Berth.Bench.Content;
using Berth.Bench.Registry;
using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>
/// Each operation pushes one new image: its layer of the workload's size (monolithic PUT, or a PATCH streamed with
/// chunked transfer encoding), its config and its manifest, with the HEAD checks docker makes first.
/// </summary>
internal sealed class PushWorkload(string name, int keySpace, SizeMix sizes, bool chunked, int defaultCount) : IWorkload
{
    public string Name => name;

    public string Unit => "images";

    public bool Pushes => true;

    public int DefaultCount => defaultCount;

    public ConcurrencyKind Concurrency => ConcurrencyKind.Blobs;

    public Task<WorkloadOperation> PrepareAsync(BenchContext context, RegistryClient client, int count, CancellationToken cancellationToken)
    {
        var images = Prepare(context, keySpace, name, sizes, count, cancellationToken);
        var repository = $"bench/{name}";
        return Task.FromResult<WorkloadOperation>(async (i, ct) =>
        {
            return await ImagePusher.PushNewAsync(client, repository, $"t{i}", images[i], chunked, ct);
        });
    }

    /// <summary>The images of <paramref name="count"/> pushes, digests computed before the clock starts.</summary>
    public static ImageManifest[] Prepare(BenchContext context, int keySpace, string label, SizeMix sizes, int count, CancellationToken cancellationToken) =>
        Prepare(context, keySpace, label, sizes, Enumerable.Range(0, count), cancellationToken).Values.ToArray();

    /// <summary>The images pushed by the operations numbered <paramref name="indices"/>, ascending.</summary>
    public static SortedDictionary<int, ImageManifest> Prepare(BenchContext context, int keySpace, string label, SizeMix sizes, IEnumerable<int> indices, CancellationToken cancellationToken)
    {
        var random = context.Random(keySpace + 500);
        var selected = indices.ToArray();
        var specs = selected.Select(i => (BenchContext.Key(keySpace, i), context.Size(sizes.Pick(random)))).ToArray();
        var layers = PooledBlob.CreateMany(context.Pool, specs, cancellationToken);
        var images = new SortedDictionary<int, ImageManifest>();
        for (var k = 0; k < selected.Length; k++)
            images[selected[k]] = ImageManifest.Create($"{label}-{selected[k]}", [layers[k]]);
        return images;
    }
}
