using System.Net.Sockets;
using System.Text;

namespace Berth.Server.Tests.Infrastructure;

public sealed record RawResponse(int Status, string Head, string Body);

/// <summary>
/// Sends a request line exactly as written. HttpClient (System.Uri) would resolve "..", "%2e%2e" and friends
/// before they ever left the test, which is the opposite of what a path-traversal test needs.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(Uri server, string method, string target, byte[]? body = null)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        var head = $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\nContent-Length: {body?.Length ?? 0}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, timeout.Token);
        }

        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var responseHead = split >= 0 ? text[..split] : text;
        var statusLine = responseHead.Split("\r\n")[0].Split(' ');
        return new RawResponse(int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture), responseHead, split >= 0 ? text[(split + 4)..] : string.Empty);
    }
}
