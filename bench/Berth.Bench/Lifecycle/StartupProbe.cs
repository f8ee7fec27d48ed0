using System.Diagnostics;
using System.Text.Json;
using Berth.Bench.Cli;
using Berth.Bench.Reporting;
using Berth.Bench.Running;

namespace Berth.Bench.Lifecycle;

/// <summary>
/// Starts the server several times and measures what an operator waits for and pays at rest: the time from launch to
/// the first answer of <c>/v2/</c>, and the resident memory a little later with no request in between. The poller
/// runs in this (already started) process, so its own start-up is not in the figure.
/// </summary>
internal static class StartupProbe
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(StartupOptions options, TextWriter output)
    {
        // A new connection per attempt: a refused connect must fail fast, not wait on a pooled socket.
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(2) };
        var probe = new Uri(options.Url, "/v2/");
        var report = new StartupReport { IdleSeconds = options.Idle.TotalSeconds };
        for (var run = 1; run <= options.Runs; run++)
        {
            if (await AnswersAsync(http, probe))
                throw new UsageException($"startup: something already answers {probe}");

            var start = new ProcessStartInfo(options.Command) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in options.Arguments)
                start.ArgumentList.Add(argument);

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {options.Command}");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                while (!await AnswersAsync(http, probe))
                {
                    if (process.HasExited)
                        throw new InvalidOperationException($"startup: the server exited with {process.ExitCode} before answering");
                    if (clock.Elapsed > ReadyDeadline)
                        throw new TimeoutException($"startup: no answer from {probe} within {ReadyDeadline.TotalSeconds} s");
                    await Task.Delay(1);
                }

                var ms = clock.Elapsed.TotalMilliseconds;
                await Task.Delay(options.Idle);
                var rss = new ServerProcess(process.Id).RssKiB() ?? 0;
                report.Milliseconds.Add(ms);
                report.IdleRssKiB.Add(rss);
                output.WriteLine($"start {run}: {ms:F0} ms to the first /v2/ answer; RSS {options.Idle.TotalSeconds:F0} s later {rss / 1024.0:F1} MiB");
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        if (options.JsonPath is { } path)
        {
            var document = new BenchReport { Url = options.Url.ToString(), Seed = 0, SizeScale = "", Started = DateTimeOffset.UtcNow, Startup = report };
            await using var file = File.Create(path);
            await JsonSerializer.SerializeAsync(file, document, ReportJsonContext.Default.BenchReport);
        }

        return 0;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri probe)
    {
        try
        {
            using var response = await http.GetAsync(probe, HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.Unauthorized;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
