namespace Berth.Bench.Reporting;

/// <summary>What <c>berth-bench startup</c> measured: one entry per start of the server, in order.</summary>
internal sealed record StartupReport
{
    /// <summary>Milliseconds from the process's launch to the first answer of <c>/v2/</c> (200 or 401).</summary>
    public List<double> Milliseconds { get; init; } = [];

    /// <summary>VmRSS a fixed time after the first answer, with no request in between.</summary>
    public List<long> IdleRssKiB { get; init; } = [];

    public double IdleSeconds { get; init; }
}
