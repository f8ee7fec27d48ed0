using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Configuration;
using Berth.Core.Storage.Filesystem;
using Berth.Server.Hosting;
using Berth.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Server.Tests;

/// <summary>
/// http.limits.maxconnections against a real Kestrel: idle connections that never authenticate cannot pile up without
/// bound (issue 8), and a slot freed by a closed connection serves the next client.
/// </summary>
public sealed class ConnectionLimitTests
{
    private const int Limit = 4;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Connections_beyond_the_limit_are_closed_at_once_and_a_freed_slot_serves_the_next_client()
    {
        using var store = new TemporaryStore();
        await using var app = await StartAsync(store, $"http:\n  addr: 127.0.0.1:0\n  limits:\n    maxconnections: {Limit}\n");
        var endpoint = Endpoint(app);

        var held = new List<Socket>();
        try
        {
            // Each held connection answers a request first, so Kestrel has certainly counted it.
            for (var i = 0; i < Limit; i++)
            {
                var socket = await ConnectAsync(endpoint);
                held.Add(socket);
                Assert.StartsWith("HTTP/1.1 200", await RequestAsync(socket));
            }

            for (var i = 0; i < 3; i++)
            {
                using var rejected = await ConnectAsync(endpoint);
                Assert.Equal(string.Empty, await RequestAsync(rejected));
            }

            held[0].Dispose();
            held.RemoveAt(0);
            Assert.True(await ServedWithinAsync(endpoint, TimeSpan.FromSeconds(10)), "no new connection was served after one closed");

            // The connections that were let in keep working.
            Assert.StartsWith("HTTP/1.1 200", await RequestAsync(held[^1]));
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Without_a_limits_section_the_default_limit_applies_to_kestrel()
    {
        using var store = new TemporaryStore();
        await using var app = await StartAsync(store, "http:\n  addr: 127.0.0.1:0\n");

        var kestrel = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(HttpLimitsOptions.DefaultMaxConnections, kestrel.Limits.MaxConcurrentConnections);
        Assert.Equal(HttpLimitsOptions.DefaultKeepAliveTimeout, kestrel.Limits.KeepAliveTimeout);
        Assert.Equal(HttpLimitsOptions.DefaultRequestHeaderTimeout, kestrel.Limits.RequestHeadersTimeout);
        Assert.Equal(HttpLimitsOptions.DefaultMinRequestBodyDataRate, kestrel.Limits.MinRequestBodyDataRate?.BytesPerSecond);
    }

    private static async Task<WebApplication> StartAsync(TemporaryStore store, string http)
    {
        var yaml = $"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: '{store.Root}'\n{http}";
        var configuration = ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument(yaml, "test"), "test");
        var driver = new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = store.Root });
        var app = RegistryApplication.Build(configuration, driver, urls: "http://127.0.0.1:0");
        await app.StartAsync();
        return app;
    }

    private static IPEndPoint Endpoint(WebApplication app)
    {
        var uri = new Uri(app.Urls.First());
        return new IPEndPoint(IPAddress.Loopback, uri.Port);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    /// <summary>Sends GET /v2/ and returns the response head, or empty when the server closed the connection.</summary>
    private static async Task<string> RequestAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var received = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            await socket.SendAsync("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray(), timeout.Token);
            int headEnd;
            while ((headEnd = HeadLength(received)) < 0)
            {
                var read = await socket.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return Encoding.ASCII.GetString([.. received]);
                }

                received.AddRange(buffer.AsSpan(0, read));
            }

            // Read the whole body too, so the next request on a held connection starts clean.
            var head = Encoding.ASCII.GetString([.. received], 0, headEnd);
            var body = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } line
                ? int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            while (received.Count < headEnd + body)
            {
                var read = await socket.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
            }

            return head;
        }
        catch (SocketException)
        {
            // A reset is a closed connection too.
            return Encoding.ASCII.GetString([.. received]);
        }
    }

    private static int HeadLength(List<byte> received)
    {
        var text = Encoding.ASCII.GetString([.. received]);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? -1 : end + 4;
    }

    private static async Task<bool> ServedWithinAsync(IPEndPoint endpoint, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            using var socket = await ConnectAsync(endpoint);
            if ((await RequestAsync(socket)).StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
