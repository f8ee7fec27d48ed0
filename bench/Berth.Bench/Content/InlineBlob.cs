using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Berth.Bench.Content;

/// <summary>A small blob held in memory: image configs.</summary>
internal sealed class InlineBlob(byte[] bytes) : IBlobPayload
{
    public byte[] Bytes { get; } = bytes;

    public string Digest { get; } = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public long Size => Bytes.Length;

    public HttpContent CreateContent(bool declareLength)
    {
        HttpContent content = declareLength ? new ByteArrayContent(Bytes) : new StreamContent(new MemoryStream(Bytes, writable: false));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
