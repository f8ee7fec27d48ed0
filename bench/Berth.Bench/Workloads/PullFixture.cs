using Berth.Bench.Content;
using Berth.Bench.Registry;

namespace Berth.Bench.Workloads;

/// <summary>Images pulled by the pull workloads: a few distinct blobs of each size in one repository, seeded on first use.</summary>
internal sealed class PullFixture(BenchContext context)
{
    public const string Repository = "bench/pull";
    private const int KeySpace = 1001;

    private readonly Dictionary<long, Task<PooledBlob[]>> _bySize = [];
    private readonly Lock _lock = new();

    /// <summary>Fewer distinct blobs the larger they are: enough to avoid one hot file, few enough to seed quickly.</summary>
    public static int DistinctBlobs(long nominalSize) => nominalSize switch
    {
        <= 1 << 20 => 16,
        <= 10 << 20 => 8,
        _ => 4,
    };

    public Task<PooledBlob[]> GetAsync(long nominalSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_bySize.TryGetValue(nominalSize, out var seeded) || seeded.IsFaulted || seeded.IsCanceled)
                _bySize[nominalSize] = seeded = SeedAsync(nominalSize, cancellationToken);
            return seeded;
        }
    }

    private async Task<PooledBlob[]> SeedAsync(long nominalSize, CancellationToken cancellationToken)
    {
        var size = context.Size(nominalSize);
        var count = DistinctBlobs(nominalSize);
        var specs = Enumerable.Range(0, count).Select(i => (BenchContext.Key(KeySpace, (int)(nominalSize >> 10) + i), size)).ToArray();
        var blobs = PooledBlob.CreateMany(context.Pool, specs, cancellationToken);
        using var client = context.CreateSetupClient();
        await Seeding.RunAsync(context, $"{count} pull images of {size} bytes", count, async (i, ct) =>
        {
            var image = ImageManifest.Create($"pull-{nominalSize}-{i}", [blobs[i]]);
            await ImagePusher.PushAsync(client, Repository, $"s{nominalSize >> 10}k-{i}", image, chunked: false, ct);
            return blobs[i].Size;
        }, cancellationToken);
        return blobs;
    }
}
