using System.Collections.Concurrent;
using System.Diagnostics;

namespace Berth.Bench.Running;

/// <summary>
/// Runs <c>count</c> operations on <c>concurrency</c> workers. Bounded in count and in time: no operation starts
/// after the deadline, and operations still running a grace period later are cancelled and reported as unfinished.
/// </summary>
internal static class LoadRunner
{
    private const int MaxErrorSamples = 5;

    public static async Task<LoadResult> RunAsync(int count, int concurrency, TimeSpan deadline, WorkloadOperation operation, CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(Math.Max(10, deadline.TotalSeconds / 2));
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardStop.CancelAfter(deadline + grace);

        var latencies = new double[count];
        Array.Fill(latencies, double.NaN);
        var errorSamples = new ConcurrentQueue<string>();
        var next = -1;
        int completed = 0, errors = 0, unfinished = 0;
        long bytes = 0;
        var hitDeadline = false;
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            // Let every worker start before the first one runs its operation synchronously to completion.
            await Task.Yield();
            while (!hardStop.IsCancellationRequested)
            {
                if (clock.Elapsed >= deadline)
                {
                    hitDeadline = true;
                    return;
                }

                var index = Interlocked.Increment(ref next);
                if (index >= count)
                    return;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var moved = await operation(index, hardStop.Token);
                    latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Interlocked.Add(ref bytes, moved);
                    Interlocked.Increment(ref completed);
                }
                catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref unfinished);
                    return;
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref errors);
                    if (errorSamples.Count < MaxErrorSamples)
                        errorSamples.Enqueue($"#{index}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => WorkerAsync()).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();

        var measured = latencies.Where(l => !double.IsNaN(l)).ToArray();
        Array.Sort(measured);
        return new LoadResult(completed, errors, unfinished, bytes, elapsed, hitDeadline, measured, [.. errorSamples]);
    }
}
