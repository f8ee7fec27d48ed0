namespace Berth.Testing.Prometheus;

/// <summary>One sample line of a scrape: a series name, its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>True when every given label has the given value (other labels may be present).</summary>
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Name, out var value) && value == l.Value);
}
