using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Globalization;
using Xunit;

namespace Berth.Testing;

/// <summary>
/// The real Azure Storage emulator's blob service (npm package <c>azurite</c>), on 127.0.0.1 and a free port, with its
/// data in a temporary folder. It can be stopped and started again on the same port and folder to simulate an outage.
/// Found through <c>BERTH_AZURITE</c>, then PATH, then <c>node_modules/.bin</c> in any folder above the tests; the
/// test command installs it with <c>npm install --no-save --prefix &lt;repo&gt; azurite</c>.
/// </summary>
public sealed class Azurite : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The emulator's well-known development account (documented, not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _executable;
    private readonly Queue<string> _output = new();
    private Process? _process;

    public Azurite()
    {
        _executable = FindExecutable();
        Port = FreePort();
        Location = Directory.CreateTempSubdirectory("berth-azurite-").FullName;
    }

    public int Port { get; }

    public string Location { get; }

    /// <summary>Path-style endpoint, as the emulator expects: <c>http://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri BlobServiceUri => new($"http://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobServiceUri};";

    public bool IsRunning => _process is { HasExited: false };

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the emulator (again) on the same port and folder and waits until it answers HTTP.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var info = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // --disableTelemetry keeps it from calling out of the machine; the SDK is newer than the emulator's API list.
        foreach (var argument in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture), "--location", Location,
                     "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--loose",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {_executable}");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"azurite-blob exited with {process.ExitCode}: {RecentOutput()}");
            }

            try
            {
                // Any HTTP answer (an unauthenticated request gets 403) means the service is up.
                using var response = await http.GetAsync(new Uri(BlobServiceUri, "?comp=list"));
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"azurite-blob did not answer on port {Port} within {StartTimeout.TotalSeconds} s: {RecentOutput()}");
    }

    /// <summary>Stops the emulator as an outage would, letting it flush its metadata first so a restart finds the data.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            // SIGTERM lets the emulator save its metadata database; Process.Kill would send SIGKILL and lose it.
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(Location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(" | ", _output);
        }
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 20)
            {
                _output.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("BERTH_AZURITE") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"BERTH_AZURITE names '{configured}', which does not exist");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "azurite-blob");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "node_modules", ".bin", "azurite-blob");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            "azurite-blob was not found on PATH, in node_modules/.bin above the tests or in BERTH_AZURITE; "
            + "install it with: npm install --no-save --prefix <repository root> azurite");
    }
}
