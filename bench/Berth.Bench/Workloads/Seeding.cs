using Berth.Bench.Running;

namespace Berth.Bench.Workloads;

/// <summary>Untimed seeding, bounded like the timed part; any failure fails the workloads that need the fixture.</summary>
internal static class Seeding
{
    public static async Task RunAsync(BenchContext context, string what, int count, WorkloadOperation operation, CancellationToken cancellationToken)
    {
        context.Log.WriteLine($"  seeding {what} ({count} operations)");
        var result = await LoadRunner.RunAsync(count, BenchContext.SetupConnections, context.Options.SetupDeadline, operation, cancellationToken);
        if (result.Completed != count)
        {
            var reason = result.ErrorSamples.Count > 0 ? result.ErrorSamples[0] : $"only {result.Completed} of {count} done within {context.Options.SetupDeadline.TotalSeconds} s";
            throw new InvalidOperationException($"seeding {what} failed: {reason}");
        }
    }
}
