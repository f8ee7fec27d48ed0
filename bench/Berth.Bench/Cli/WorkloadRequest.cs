namespace Berth.Bench.Cli;

/// <summary>One entry of <c>--workloads</c>: <c>name[:count[:concurrency]]</c>.</summary>
internal sealed record WorkloadRequest(string Name, int? Count, int? Concurrency)
{
    public static WorkloadRequest Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 3 || parts[0].Length == 0)
            throw new UsageException($"bad workload '{text}': expected name[:count[:concurrency]]");
        return new WorkloadRequest(
            parts[0],
            parts.Length > 1 ? ParsePositive(parts[1], text) : null,
            parts.Length > 2 ? ParsePositive(parts[2], text) : null);
    }

    private static int ParsePositive(string value, string entry) =>
        int.TryParse(value, out var n) && n > 0 ? n : throw new UsageException($"bad number '{value}' in workload '{entry}'");
}
