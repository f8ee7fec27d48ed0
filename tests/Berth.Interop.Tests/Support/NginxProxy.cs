using System.Diagnostics;
using System.Net.Sockets;

namespace Berth.Interop.Tests.Support;

/// <summary>
/// Debian's nginx on 127.0.0.1 in front of a registry served under http.prefix, with the server block that
/// docs/operations.md recommends. Runs in the foreground as the test's child; killed on dispose.
/// </summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;

    private NginxProxy(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Clients reach /v2/ at the root; nginx forwards it, and the prefixed URLs the registry hands back, to the prefix.</summary>
    public static async Task<NginxProxy> StartAsync(TempDirectory temp, int upstreamPort, string prefix)
    {
        var port = FreePort.Next();
        var directory = temp.Combine("nginx");
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(config, $$"""
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              upstream berth { server 127.0.0.1:{{upstreamPort}}; }
              server {
                listen 127.0.0.1:{{port}};
                client_max_body_size 0;
                proxy_http_version 1.1;
                proxy_request_buffering off;
                proxy_buffering off;
                proxy_set_header Host $http_host;
                proxy_set_header X-Forwarded-Proto $scheme;
                location /v2/ { proxy_pass http://berth{{prefix}}v2/; }
                location {{prefix}} { proxy_pass http://berth; }
              }
            }
            """);
        var start = new ProcessStartInfo("nginx") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", config, "-g", "daemon off; master_process off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start nginx");
        var proxy = new NginxProxy(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                var error = File.Exists(Path.Combine(directory, "error.log")) ? File.ReadAllText(Path.Combine(directory, "error.log")) : await process.StandardError.ReadToEndAsync();
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {error}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5_000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
