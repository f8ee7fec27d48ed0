using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Berth.Interop.Tests.Reference;

/// <summary>
/// One HTTP/1.1 request written byte for byte on a socket. HttpClient and Uri clean dot segments and re-encode
/// paths; these tests need the request line exactly as an attacker or a broken client would send it.
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <param name="body">Sent as is; null sends no body.</param>
    /// <param name="contentLength">The Content-Length header to send; null sends none (with a null body) or the body's length.</param>
    public static async Task<RawResponse> SendAsync(
        int port, string method, string target, byte[]? body = null, string? contentType = null, long? contentLength = null, params string[] headers)
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellation.Token);
        var stream = client.GetStream();

        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        request.Append("Host: 127.0.0.1:").Append(port).Append("\r\n");
        request.Append("Connection: close\r\n");
        if (contentType is not null)
        {
            request.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        var length = contentLength ?? body?.LongLength;
        if (length is not null)
        {
            request.Append("Content-Length: ").Append(length).Append("\r\n");
        }

        foreach (var header in headers)
        {
            request.Append(header).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()), cancellation.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, cancellation.Token);
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancellation.Token);
        }
        catch (IOException) when (received.Length == 0)
        {
            // A server that answers without reading the body and then closes makes the kernel send a reset, which can
            // overtake its answer: then there is no answer to compare, and the caller sees status 0.
            return new RawResponse(0, new Dictionary<string, string>(), "connection reset before any answer"u8.ToArray());
        }
        catch (IOException)
        {
            // The answer arrived before the reset: parse what there is.
        }

        return RawResponse.Parse(received.ToArray(), isHead: method == "HEAD");
    }
}

internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>For a 5xx: the end of the server's log, so a failure shows the exception behind it.</summary>
    public string? ServerLog { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The first error code of a distribution-spec JSON error body, or null when the body is not one.</summary>
    public string? ErrorCode
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.GetProperty("errors")[0].GetProperty("code").GetString();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
            {
                return null;
            }
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body);
        var answer = $"{Status} {(text.Length > 200 ? text[..200] + "..." : text)}".TrimEnd();
        return ServerLog is null ? answer : $"{answer}\n--- server log ---\n{ServerLog}\n---";
    }

    public static RawResponse Parse(byte[] raw, bool isHead)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new InvalidDataException($"no complete response head in {raw.Length} bytes: {Encoding.Latin1.GetString(raw)}");
        }

        var lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = isHead ? [] : raw[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.Latin1.GetString(chunked, position, lineEnd).Split(';')[0], 16);
            position += lineEnd + 2;
            if (size == 0)
            {
                break;
            }

            body.Write(chunked, position, size);
            position += size + 2;
        }

        return body.ToArray();
    }
}
