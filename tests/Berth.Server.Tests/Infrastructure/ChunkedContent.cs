using System.Net;

namespace Berth.Server.Tests.Infrastructure;

/// <summary>
/// A body of unknown length, so HttpClient sends it with Transfer-Encoding: chunked and no Content-Length, the way
/// docker, podman and skopeo stream a layer.
/// </summary>
public sealed class ChunkedContent(byte[] content, int pieceSize = 4096) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < content.Length; offset += pieceSize)
        {
            await stream.WriteAsync(content.AsMemory(offset, Math.Min(pieceSize, content.Length - offset)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
