using Berth.Bench.Content;
using Berth.Bench.Registry;

namespace Berth.Bench.Workloads;

/// <summary>Sixteen small tagged images whose manifests the manifest workloads HEAD and GET.</summary>
internal sealed class ManifestFixture(BenchContext context)
{
    public const string Repository = "bench/manifests";
    public const int Images = 16;
    private const int KeySpace = 1002;

    private readonly Lock _lock = new();
    private Task<IReadOnlyList<(string Tag, string Digest)>>? _seeded;

    public Task<IReadOnlyList<(string Tag, string Digest)>> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_seeded is null || _seeded.IsFaulted || _seeded.IsCanceled)
                _seeded = SeedAsync(cancellationToken);
            return _seeded;
        }
    }

    private async Task<IReadOnlyList<(string Tag, string Digest)>> SeedAsync(CancellationToken cancellationToken)
    {
        var images = Enumerable.Range(0, Images)
            .Select(i => ImageManifest.Create($"manifest-{i}", [PooledBlob.Create(context.Pool, BenchContext.Key(KeySpace, i), 4096)]))
            .ToArray();
        using var client = context.CreateSetupClient();
        await Seeding.RunAsync(context, $"{Images} images in {Repository}", Images, async (i, ct) =>
        {
            await ImagePusher.PushAsync(client, Repository, Tag(i), images[i], chunked: false, ct);
            return 0;
        }, cancellationToken);
        return [.. images.Select((image, i) => (Tag(i), image.Digest))];
    }

    private static string Tag(int i) => $"m{i:D2}";
}
