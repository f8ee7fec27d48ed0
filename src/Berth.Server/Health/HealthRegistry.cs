namespace Berth.Server.Health;

/// <summary>
/// The configured periodic checks and their current state. API requests consult <see cref="IsFailing"/> on every
/// request, so it is one volatile read; <see cref="Failures"/> builds registry:2's <c>/debug/health</c> body.
/// </summary>
internal sealed class HealthRegistry(IReadOnlyList<HealthCheck> checks)
{
    private volatile bool _failing;

    public IReadOnlyList<HealthCheck> Checks { get; } = checks;

    /// <summary>True when the storage driver has a periodic check (then /debug/health need not ask it again).</summary>
    public bool ChecksStorage => Checks.Any(c => c.Name.StartsWith(HealthChecks.StorageCheckPrefix, StringComparison.Ordinal));

    public bool IsFailing => _failing;

    /// <summary>Each failing check's name and error, as registry:2 lists them.</summary>
    public Dictionary<string, string> Failures()
    {
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var check in Checks)
        {
            if (check.Failure is { } error)
            {
                failures[check.Name] = error;
            }
        }

        return failures;
    }

    /// <summary>Called after a check changed state.</summary>
    public void Refresh() => _failing = Checks.Any(c => c.Failure is not null);
}
