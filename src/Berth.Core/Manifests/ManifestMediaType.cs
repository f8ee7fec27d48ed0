using System.Text.Json;

namespace Berth.Core.Manifests;

/// <summary>The media type a stored manifest is served with, decided as <see cref="ManifestParser"/> decided it on upload.</summary>
internal static class ManifestMediaType
{
    /// <summary>
    /// Null when the bytes are not one unambiguous JSON object (malformed, or a duplicate key): such a document was
    /// never accepted by Berth and is not served. A declared type that is no manifest type (say <c>text/html</c>
    /// in data written by another tool) is never echoed to a client: the type implied by the shape is used instead.
    /// </summary>
    public static string? Detect(ReadOnlyMemory<byte> content)
    {
        try
        {
            using var document = ManifestJson.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var declared = ManifestJson.MediaTypeOf(root);
            if (declared is not null && (MediaTypes.IsSupported(declared) || MediaTypes.IsSchema1(declared)))
            {
                return declared;
            }

            return ManifestJson.MediaTypeByShape(root);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
