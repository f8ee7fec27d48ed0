namespace Berth.Server.Health;

/// <summary>
/// One periodic check with registry:2's threshold semantics: it reports failing once <see cref="Threshold"/>
/// consecutive runs failed (at the first failure when the threshold is 0), and healthy again at the first success.
/// It is healthy until its first run fails.
/// </summary>
internal sealed class HealthCheck(string name, TimeSpan interval, int threshold, Func<CancellationToken, Task> probe)
{
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private string? _lastError;

    public string Name { get; } = name;

    public TimeSpan Interval { get; } = interval;

    public int Threshold { get; } = threshold;

    /// <summary>The error to report, or null while the check counts as passing.</summary>
    public string? Failure
    {
        get
        {
            lock (_lock)
            {
                return _consecutiveFailures > 0 && _consecutiveFailures >= Threshold ? _lastError : null;
            }
        }
    }

    /// <summary>Runs the probe once and records the outcome; returns true when the reported state changed.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            await probe(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            error = string.IsNullOrEmpty(e.Message) ? e.GetType().Name : e.Message;
        }

        lock (_lock)
        {
            var before = _consecutiveFailures > 0 && _consecutiveFailures >= Threshold;
            if (error is null)
            {
                _consecutiveFailures = 0;
            }
            else if (_consecutiveFailures <= Threshold)
            {
                _consecutiveFailures++;
            }

            _lastError = error;
            return before != (_consecutiveFailures > 0 && _consecutiveFailures >= Threshold);
        }
    }
}
