using System.Text.Json;
using Berth.Core.Digests;
using Berth.Core.Errors;

namespace Berth.Core.Manifests;

/// <summary>
/// Reads OCI image manifests and indexes and Docker schema2 manifests and manifest lists. Anything else, schema1
/// included, is refused with MANIFEST_INVALID and a message that says why.
/// </summary>
public static class ManifestParser
{
    public static (ParsedManifest? Manifest, RegistryError? Error) Parse(ReadOnlyMemory<byte> content, string? contentType)
    {
        try
        {
            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
            return Parse(document.RootElement, NormalizeContentType(contentType));
        }
        catch (JsonException e)
        {
            return Invalid($"manifest is not valid JSON: {e.Message}");
        }
        catch (InvalidDescriptorException e)
        {
            return Invalid(e.Message);
        }
    }

    private static (ParsedManifest?, RegistryError?) Parse(JsonElement root, string? contentType)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid("manifest must be a JSON object");
        }

        var declared = OptionalString(root, "mediaType");
        if (declared is not null && MediaTypes.IsSchema1(declared) || contentType is not null && MediaTypes.IsSchema1(contentType) ||
            root.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == 1)
        {
            return Invalid("Docker schema1 manifests are deprecated and not supported; push with a current client (OCI or Docker schema2)");
        }

        if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 2)
        {
            return Invalid("schemaVersion must be 2");
        }

        if (declared is not null && contentType is not null && MediaTypes.IsSupported(contentType) && declared != contentType)
        {
            return Invalid($"mediaType '{declared}' in the manifest does not match Content-Type '{contentType}'");
        }

        var mediaType = declared ?? (contentType is not null && MediaTypes.IsSupported(contentType) ? contentType : Guess(root));
        if (mediaType is null || !MediaTypes.IsSupported(mediaType))
        {
            return Invalid($"unsupported manifest media type '{mediaType ?? contentType ?? "(none)"}'; expected an OCI image manifest or index, or a Docker schema2 manifest or manifest list");
        }

        Descriptor? config = null;
        var layers = new List<Descriptor>();
        var manifests = new List<Descriptor>();
        if (MediaTypes.IsIndex(mediaType))
        {
            if (!root.TryGetProperty("manifests", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return Invalid("an index must have a 'manifests' array");
            }

            foreach (var item in list.EnumerateArray())
            {
                manifests.Add(ReadDescriptor(item, "manifests[]"));
            }
        }
        else
        {
            if (!root.TryGetProperty("config", out var configElement))
            {
                return Invalid("an image manifest must have a 'config' descriptor");
            }

            config = ReadDescriptor(configElement, "config");
            if (!root.TryGetProperty("layers", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return Invalid("an image manifest must have a 'layers' array");
            }

            foreach (var item in list.EnumerateArray())
            {
                layers.Add(ReadDescriptor(item, "layers[]"));
            }
        }

        var subject = root.TryGetProperty("subject", out var subjectElement) ? ReadDescriptor(subjectElement, "subject") : null;
        return (new ParsedManifest(mediaType, config, layers, manifests, subject, OptionalString(root, "artifactType"), ReadAnnotations(root)), null);
    }

    /// <summary>Media type of a stored manifest that omits mediaType (allowed for OCI), as registry:2 decides it.</summary>
    private static string? Guess(JsonElement root) =>
        root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex :
        root.TryGetProperty("config", out _) ? MediaTypes.OciManifest : null;

    private static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }

    private static Descriptor ReadDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDescriptorException($"{where} must be a descriptor object");
        }

        var mediaType = OptionalString(element, "mediaType") ?? throw new InvalidDescriptorException($"{where} has no mediaType");
        var digestText = OptionalString(element, "digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new InvalidDescriptorException($"{where} has an invalid digest '{digestText}'");
        }

        if (!element.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new InvalidDescriptorException($"{where} {digest} has no valid size");
        }

        List<string>? urls = null;
        if (element.TryGetProperty("urls", out var urlsElement) && urlsElement.ValueKind == JsonValueKind.Array)
        {
            urls = urlsElement.EnumerateArray().Select(u => u.GetString() ?? string.Empty).ToList();
        }

        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform(OptionalString(p, "architecture") ?? string.Empty, OptionalString(p, "os") ?? string.Empty, OptionalString(p, "variant"));
        }

        return new Descriptor(mediaType, digest, size, urls, OptionalString(element, "artifactType"), ReadAnnotations(element), platform);
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var annotations) || annotations.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                result[property.Name] = property.Value.GetString()!;
            }
        }

        return result;
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static (ParsedManifest?, RegistryError?) Invalid(string message) => (null, new RegistryError(ErrorCode.ManifestInvalid, message));

    private sealed class InvalidDescriptorException(string message) : Exception(message);
}
