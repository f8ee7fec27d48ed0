using System.Text.Json;
using Berth.Core.Digests;

namespace Berth.Core.Collection;

/// <summary>
/// Every digest a stored document names anywhere, for manifests the collector cannot parse (schema1 manifests that
/// registry:2 accepted into the store it took over). Marking too much keeps a blob; marking too little deletes a
/// layer an image still needs.
/// </summary>
internal static class ManifestDigestScan
{
    public static List<Digest> Find(ReadOnlyMemory<byte> content)
    {
        var found = new List<Digest>();
        var reader = new Utf8JsonReader(content.Span, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String && Digest.TryParse(reader.GetString(), out var digest))
                {
                    found.Add(digest);
                }
            }
        }
        catch (JsonException)
        {
            // What was read before the fault is still referenced; the rest cannot be known.
        }

        return found;
    }
}
