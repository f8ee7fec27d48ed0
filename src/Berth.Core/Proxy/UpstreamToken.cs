using System.Text.Json;

namespace Berth.Core.Proxy;

/// <summary>A bearer token from an upstream's token server and when to stop using it.</summary>
internal sealed record UpstreamToken(string Value, DateTimeOffset Expires)
{
    private const int MaxResponseBytes = 64 * 1024;

    /// <summary>
    /// Reads <c>{"token"|"access_token", "expires_in"}</c> (docker's token spec: 60 s when absent), refusing bodies
    /// over 64 KiB; null when no token is there.
    /// </summary>
    public static async Task<UpstreamToken?> ReadAsync(HttpResponseMessage response, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxResponseBytes)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(buffer.AsMemory(0, length));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var value = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                : root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(value) || value.Any(c => c < 0x21 || c > 0x7e))
            {
                return null;
            }

            var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) && s > 0 ? s : 60;
            // Renewed a little early, so a token never expires between our check and the upstream's.
            return new UpstreamToken(value, now.AddSeconds(Math.Max(1, seconds - Math.Min(10, seconds / 2))));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
