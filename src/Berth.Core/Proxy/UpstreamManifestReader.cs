using Berth.Core.Manifests;

namespace Berth.Core.Proxy;

/// <summary>Reads an upstream manifest body within the same 4 MiB bound as a pushed one, with an idle timeout.</summary>
internal static class UpstreamManifestReader
{
    /// <summary>The bytes, or null when the upstream announced or sent more than the bound.</summary>
    public static async Task<byte[]?> ReadAsync(HttpResponseMessage response, Upstream upstream)
    {
        var limit = ManifestStore.MaxManifestBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            return null;
        }

        using var idle = new CancellationTokenSource(upstream.Options.Timeout);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(idle.Token);
            var buffer = new byte[Math.Min(limit + 1, (int)(response.Content.Headers.ContentLength ?? 64 * 1024) + 1)];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        return null;
                    }

                    Array.Resize(ref buffer, Math.Min(limit + 1, buffer.Length * 2));
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), idle.Token);
                if (read == 0)
                {
                    return buffer[..length];
                }

                length += read;
                idle.CancelAfter(upstream.Options.Timeout);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            upstream.RecordBodyFailure($"manifest body failed: {e.Message}");
            throw new UpstreamUnavailableException($"upstream {upstream.Name} cut a manifest short", e);
        }
    }
}
