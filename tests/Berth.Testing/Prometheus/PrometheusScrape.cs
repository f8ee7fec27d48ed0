namespace Berth.Testing.Prometheus;

/// <summary>A parsed, validated scrape in the Prometheus text exposition format (0.0.4).</summary>
public sealed class PrometheusScrape(IReadOnlyDictionary<string, string> types, IReadOnlyList<PrometheusSample> samples)
{
    /// <summary>Family name → type (counter, gauge, histogram, summary, untyped), from the # TYPE lines.</summary>
    public IReadOnlyDictionary<string, string> Types { get; } = types;

    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    /// <summary>The sum of every series named <paramref name="name"/> that carries the given labels; 0 when none does.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && s.Has(labels)).Sum(s => s.Value);

    public bool HasSeries(string name) => Samples.Any(s => s.Name == name);
}
