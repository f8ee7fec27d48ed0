namespace Berth.Bench.Running;

/// <summary>Polls the server's current RSS while a workload runs, so each workload reports its own peak.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly ServerProcess _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKiB;

    public RssSampler(ServerProcess server)
    {
        _server = server;
        _peakKiB = server.RssKiB() ?? 0;
        _loop = LoopAsync();
    }

    public long PeakKiB => Interlocked.Read(ref _peakKiB);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            var rss = _server.RssKiB() ?? 0;
            if (rss > Interlocked.Read(ref _peakKiB))
                Interlocked.Exchange(ref _peakKiB, rss);
        }
    }
}
