namespace Berth.Bench.Running;

internal sealed record LoadResult(
    int Completed,
    int Errors,
    int Unfinished,
    long Bytes,
    TimeSpan Elapsed,
    bool HitDeadline,
    double[] LatenciesMs,
    IReadOnlyList<string> ErrorSamples)
{
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(rank, 0, LatenciesMs.Length - 1)];
    }
}
