using Berth.Bench.Content;
using Berth.Bench.Registry;

namespace Berth.Bench.Workloads;

/// <summary>
/// Many repositories for tags/list and _catalog, each holding one small image under three tags. The first repository
/// is pushed; the others mount its blobs (or upload them where the registry declines the mount) to seed quickly.
/// </summary>
internal sealed class RepositoriesFixture(BenchContext context, int count)
{
    public static readonly string[] Tags = ["latest", "v1", "v2"];
    private const int KeySpace = 1003;

    private readonly Lock _lock = new();
    private Task<IReadOnlyList<string>>? _seeded;

    public int Count => count;

    public Task<IReadOnlyList<string>> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_seeded is null || _seeded.IsFaulted || _seeded.IsCanceled)
                _seeded = SeedAsync(cancellationToken);
            return _seeded;
        }
    }

    private async Task<IReadOnlyList<string>> SeedAsync(CancellationToken cancellationToken)
    {
        var repositories = Enumerable.Range(0, count).Select(i => $"bench/catalog/r{i:D4}").ToArray();
        var layer = PooledBlob.Create(context.Pool, BenchContext.Key(KeySpace, 0), 4096);
        var image = ImageManifest.Create("catalog", [layer]);
        using var client = context.CreateSetupClient();
        await ImagePusher.PushAsync(client, repositories[0], Tags[0], image, chunked: false, cancellationToken);
        await Seeding.RunAsync(context, $"{count} repositories", count, async (i, ct) =>
        {
            if (i > 0)
            {
                await client.MountOrPushAsync(repositories[i], repositories[0], layer, ct);
                await client.MountOrPushAsync(repositories[i], repositories[0], image.Config, ct);
            }

            foreach (var tag in Tags)
                await client.PutManifestAsync(repositories[i], tag, image.Bytes, MediaTypes.OciManifest, ct);
            return 0;
        }, cancellationToken);
        return repositories;
    }
}
