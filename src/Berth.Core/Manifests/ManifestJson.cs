using System.Text.Json;

namespace Berth.Core.Manifests;

/// <summary>
/// The one way Berth reads manifest JSON, on upload and when serving: duplicate keys are refused, so no two readers
/// can disagree about which <c>mediaType</c> or <c>manifests</c> a document has, and the media type a manifest is
/// served with is decided by the same rule that validated it.
/// </summary>
internal static class ManifestJson
{
    /// <summary>Deep enough for any real manifest; a deeper document is refused before it costs stack or memory.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Parses manifest bytes; throws <see cref="JsonException"/> on malformed JSON or a duplicate key.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> content) => JsonDocument.Parse(content, Options);

    /// <summary>
    /// The media type a document declares, or, for OCI documents that may omit it, the one its shape implies:
    /// an index has <c>manifests</c> and no <c>config</c>; everything else is an image manifest.
    /// Null when <c>mediaType</c> is present but not a string.
    /// </summary>
    public static string? MediaTypeOf(JsonElement root)
    {
        if (root.TryGetProperty("mediaType", out var declared) && declared.ValueKind != JsonValueKind.Null)
        {
            return declared.ValueKind == JsonValueKind.String ? declared.GetString() : null;
        }

        return MediaTypeByShape(root);
    }

    /// <summary>registry:2's rule for an OCI document without <c>mediaType</c>.</summary>
    public static string MediaTypeByShape(JsonElement root) =>
        root.TryGetProperty("manifests", out _) && !root.TryGetProperty("config", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
}
