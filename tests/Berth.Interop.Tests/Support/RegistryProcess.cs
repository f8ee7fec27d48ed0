using System.Diagnostics;
using System.Text;

namespace Berth.Interop.Tests.Support;

/// <summary>
/// A registry server running as a real process on 127.0.0.1 (Berth's executable or Debian's registry:2), with its
/// log kept for assertions and failure messages. Killed on dispose.
/// </summary>
internal sealed class RegistryProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private readonly string _readyPath;

    private RegistryProcess(ProcessStartInfo start, int port, string readyPath)
    {
        _start = start;
        Port = port;
        _readyPath = readyPath;
    }

    public int Port { get; }

    /// <summary>host:port as clients name the registry in image references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    public string Log
    {
        get
        {
            string text;
            lock (_log)
            {
                text = _log.ToString();
            }

            // A server that died mid-test says so at the end of its log (a crash leaves no log line of its own).
            return _process is { HasExited: true } process ? $"{text}\n[{_start.FileName} exited with {process.ExitCode}]" : text;
        }
    }

    /// <summary>Starts berth; it counts as up when <paramref name="readyPath"/> answers 200 or 401 (under http.prefix, the prefixed /v2/).</summary>
    public static Task<RegistryProcess> StartBerthAsync(string? configPath, int port, IDictionary<string, string>? environment = null, string readyPath = "v2/")
    {
        var start = new ProcessStartInfo(RepositoryRoot.BerthFileName);
        foreach (var argument in RepositoryRoot.BerthArguments("serve"))
        {
            start.ArgumentList.Add(argument);
        }

        if (configPath is not null)
        {
            start.ArgumentList.Add(configPath);
        }

        return StartAsync(start, port, environment, readyPath);
    }

    /// <summary>Berth on a free port with filesystem storage under <paramref name="root"/> (default: a "store" folder in <paramref name="temp"/>).</summary>
    public static Task<RegistryProcess> StartBerthOnDiskAsync(TempDirectory temp, string? root = null)
    {
        var port = FreePort.Next();
        return StartBerthAsync(WriteConfig(temp.Path, root ?? temp.Combine("store"), port), port);
    }

    public static Task<RegistryProcess> StartRegistry2Async(string configPath, int port) =>
        StartAsync(new ProcessStartInfo("/usr/bin/docker-registry") { ArgumentList = { "serve", configPath } }, port, null, "v2/");

    /// <summary>Writes a registry:2-compatible config.yml for a filesystem root and port.</summary>
    public static string WriteConfig(string directory, string rootDirectory, int port, string extra = "")
    {
        var path = System.IO.Path.Combine(directory, $"config-{port}.yml");
        File.WriteAllText(path, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {rootDirectory}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {extra}
            """);
        return path;
    }

    public async Task RestartAsync()
    {
        Kill();
        await LaunchAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a crash or an OOM kill would end it.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    /// <summary>SIGTERM, as systemd or a container runtime stops a service; the process drains and exits on its own.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        (await ExternalProcess.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10))).EnsureSuccess("kill -TERM");
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    private static async Task<RegistryProcess> StartAsync(ProcessStartInfo start, int port, IDictionary<string, string>? environment, string readyPath)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var registry = new RegistryProcess(start, port, readyPath);
        await registry.LaunchAsync();
        return registry;
    }

    private async Task LaunchAsync()
    {
        var process = Process.Start(_start) ?? throw new InvalidOperationException($"cannot start {_start.FileName}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{_start.FileName} exited with {process.ExitCode} during start-up:\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseUri, _readyPath));
                if ((int)response.StatusCode is 200 or 401)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        Kill();
        throw new TimeoutException($"{_start.FileName} did not answer on {Host} within 30 s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
