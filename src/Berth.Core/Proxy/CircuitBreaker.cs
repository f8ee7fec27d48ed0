namespace Berth.Core.Proxy;

/// <summary>
/// Keeps a failing upstream from costing a timeout per request: after a failure it answers "open" for an interval,
/// then lets exactly one request try; its success closes the breaker, its failure opens it for another interval.
/// </summary>
internal sealed class CircuitBreaker(TimeSpan interval, TimeProvider time)
{
    private long _openUntil;
    private volatile bool _tripped;

    /// <summary>True when a request may go to the upstream now.</summary>
    public bool TryEnter()
    {
        if (!_tripped)
        {
            return true;
        }

        var now = time.GetUtcNow().UtcTicks;
        var until = Interlocked.Read(ref _openUntil);
        // One trial per interval: whoever moves the deadline first tries, the others keep failing fast.
        return now >= until && Interlocked.CompareExchange(ref _openUntil, now + interval.Ticks, until) == until;
    }

    public bool IsOpen => _tripped;

    public void RecordFailure()
    {
        Interlocked.Exchange(ref _openUntil, time.GetUtcNow().UtcTicks + interval.Ticks);
        _tripped = true;
    }

    public void RecordSuccess() => _tripped = false;
}
