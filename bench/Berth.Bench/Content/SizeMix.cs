namespace Berth.Bench.Content;

/// <summary>Blob sizes a workload draws from: one size, or zb's mixed distribution.</summary>
internal sealed class SizeMix
{
    private readonly (double Weight, long Size)[] _entries;

    private SizeMix((double Weight, long Size)[] entries) => _entries = entries;

    public IReadOnlyList<long> Sizes => [.. _entries.Select(e => e.Size)];

    public static SizeMix Fixed(long size) => new([(1.0, size)]);

    public static SizeMix Weighted(params (double Weight, long Size)[] entries) => new(entries);

    public long Pick(Random random)
    {
        var x = random.NextDouble();
        foreach (var (weight, size) in _entries)
        {
            if (x < weight)
                return size;
            x -= weight;
        }

        return _entries[^1].Size;
    }
}
