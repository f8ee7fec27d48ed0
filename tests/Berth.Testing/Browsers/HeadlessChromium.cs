using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Testing.Browsers;

/// <summary>
/// Debian's real <c>chromium</c>, headless, driven over the Chrome DevTools protocol on one page: navigate, evaluate
/// script in the page, wait for a condition, take screenshots. Nothing but the browser and a WebSocket.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;
    private int _nextId;

    private HeadlessChromium(Process process, TempDirectory profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _receiver = Task.Run(ReceiveAsync);
    }

    /// <summary>Starts chromium with a fresh profile and attaches to its first page.</summary>
    public static async Task<HeadlessChromium> StartAsync(int width = 1280, int height = 900)
    {
        var profile = new TempDirectory("berth-chromium");
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            $"--user-data-dir={profile.Path}", $"--window-size={width},{height}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        try
        {
            var browserUrl = await ReadDevToolsUrlAsync(process);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var targets = await http.GetFromJsonAsync<JsonElement>($"http://{browserUrl.Authority}/json/list");
            var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
            var browser = new HeadlessChromium(process, profile, socket);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            return browser;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            profile.Dispose();
            throw;
        }
    }

    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await reply.Task.WaitAsync(CommandTimeout);
    }

    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"script failed: {exception}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Polls <paramref name="condition"/> (a script expression) until it is true; fails with the page's text.</summary>
    public async Task WaitForAsync(string condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (deadline.Elapsed < limit)
        {
            if (await EvaluateAsync($"!!({condition})") is { ValueKind: JsonValueKind.True })
            {
                return;
            }

            await Task.Delay(25);
        }

        var text = await EvaluateAsync("document.body ? document.body.innerText : ''");
        throw new TimeoutException($"waited {limit} for {condition}; the page shows: {text}");
    }

    /// <summary>Saves a PNG of the page: the whole scrollable page, or only the viewport.</summary>
    public async Task ScreenshotAsync(string path, bool fullPage = true)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = fullPage });
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    /// <summary>Sets <c>prefers-color-scheme</c> for the page (light or dark).</summary>
    public Task SetColorSchemeAsync(string scheme) =>
        SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["features"] = new JsonArray(new JsonObject { ["name"] = "prefers-color-scheme", ["value"] = scheme }) });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            _socket.Abort();
            _socket.Dispose();
            await _receiver.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException)
        {
            // The browser goes next.
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _profile.Dispose();
        _stop.Dispose();
    }

    private static async Task<Uri> ReadDevToolsUrlAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            const string marker = "DevTools listening on ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                // Keep draining stderr so chromium never blocks on a full pipe.
                _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return new Uri(line[(at + marker.Length)..].Trim());
            }
        }

        throw new InvalidOperationException($"chromium exited without a DevTools address: {seen}");
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            using (var document = JsonDocument.Parse(message.ToArray()))
            {
                var root = document.RootElement;
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        reply.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
                    }
                    else
                    {
                        reply.TrySetResult(root.GetProperty("result").Clone());
                    }
                }
            }

            message.SetLength(0);
        }
    }
}
