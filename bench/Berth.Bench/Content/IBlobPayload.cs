namespace Berth.Bench.Content;

/// <summary>A blob whose digest is known before it is sent; <see cref="CreateContent"/> streams its bytes.</summary>
internal interface IBlobPayload
{
    string Digest { get; }

    long Size { get; }

    /// <param name="declareLength">false sends the body with chunked transfer encoding, as streaming clients do.</param>
    HttpContent CreateContent(bool declareLength);
}
