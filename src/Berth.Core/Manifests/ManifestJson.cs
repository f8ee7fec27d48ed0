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

    /// <summary>
    /// Parses manifest bytes; throws <see cref="JsonException"/> on malformed JSON or a duplicate key, including keys
    /// that differ only in case: Go's decoder (registry:2, docker, containerd) matches field names case-insensitively,
    /// so <c>layers</c> and <c>Layers</c> in one object would mean different things to Berth and to its clients.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> content)
    {
        var document = JsonDocument.Parse(content, Options);
        try
        {
            RefuseKeysDifferingOnlyInCase(document.RootElement);
            return document;
        }
        catch (InvalidOperationException e)
        {
            // A key whose bytes are not UTF-8: malformed JSON as far as any client is concerned.
            document.Dispose();
            throw new JsonException($"manifest is not valid UTF-8: {e.Message}", e);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static void RefuseKeysDifferingOnlyInCase(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in element.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new JsonException($"the key '{property.Name}' appears twice, differing only in case");
                }

                RefuseKeysDifferingOnlyInCase(property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                RefuseKeysDifferingOnlyInCase(item);
            }
        }
    }

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
