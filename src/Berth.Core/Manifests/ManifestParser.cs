using System.Text.Json;
using Berth.Core.Digests;
using Berth.Core.Errors;

namespace Berth.Core.Manifests;

/// <summary>
/// Reads OCI image manifests and indexes and Docker schema2 manifests and manifest lists. Anything else, schema1
/// included, is refused with MANIFEST_INVALID and a message that says why. Every field Berth reads has exactly one
/// accepted JSON type: a value of another type is an invalid manifest, never an exception.
/// </summary>
public static class ManifestParser
{
    public static (ParsedManifest? Manifest, RegistryError? Error) Parse(ReadOnlyMemory<byte> content, string? contentType)
    {
        try
        {
            using var document = ManifestJson.Parse(content);
            return Parse(document.RootElement, NormalizeContentType(contentType));
        }
        catch (JsonException e)
        {
            return Invalid($"manifest is not valid JSON: {e.Message}");
        }
        catch (InvalidManifestException e)
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

        var mediaType = ManifestJson.MediaTypeOf(root) ?? throw new InvalidManifestException("mediaType must be a string");
        var declared = TryGetPresent(root, "mediaType", out _);
        root.TryGetProperty("schemaVersion", out var version);
        var isSchemaVersion1 = version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v1) && v1 == 1;
        if (declared && MediaTypes.IsSchema1(mediaType) || contentType is not null && MediaTypes.IsSchema1(contentType) || isSchemaVersion1)
        {
            return Invalid("Docker schema1 manifests are deprecated and not supported; push with a current client (OCI or Docker schema2)");
        }

        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var schemaVersion) || schemaVersion != 2)
        {
            return Invalid("schemaVersion must be the integer 2");
        }

        // registry:2 picks its parser by Content-Type and refuses one it does not know; so does Berth, unless the
        // header says nothing specific.
        if (contentType is not null && !MediaTypes.IsSupported(contentType) && !MediaTypes.IsUnspecific(contentType))
        {
            return Invalid($"Content-Type '{contentType}' is not a manifest media type; send the manifest's own mediaType");
        }

        // The type is decided by the bytes alone, so the type served later is the type validated now.
        if (contentType is not null && MediaTypes.IsSupported(contentType) && mediaType != contentType)
        {
            return Invalid(declared
                ? $"mediaType '{mediaType}' in the manifest does not match Content-Type '{contentType}'"
                : $"Content-Type '{contentType}' does not match the manifest, which has no mediaType and the shape of {mediaType}");
        }

        if (!MediaTypes.IsSupported(mediaType))
        {
            return Invalid($"unsupported manifest media type '{mediaType}'; expected an OCI image manifest or index, or a Docker schema2 manifest or manifest list");
        }

        Descriptor? config = null;
        var layers = new List<Descriptor>();
        var manifests = new List<Descriptor>();
        if (MediaTypes.IsIndex(mediaType))
        {
            ReadDescriptors(RequiredArray(root, "manifests", "an index must have a 'manifests' array"), "manifests[]", manifests);
        }
        else
        {
            if (!root.TryGetProperty("config", out var configElement))
            {
                return Invalid("an image manifest must have a 'config' descriptor");
            }

            config = ReadDescriptor(configElement, "config");
            ReadDescriptors(RequiredArray(root, "layers", "an image manifest must have a 'layers' array"), "layers[]", layers);
        }

        var subject = TryGetPresent(root, "subject", out var subjectElement) ? ReadDescriptor(subjectElement, "subject") : null;
        return (new ParsedManifest(mediaType, config, layers, manifests, subject, OptionalString(root, "artifactType"), ReadAnnotations(root, "annotations")), null);
    }

    private static JsonElement RequiredArray(JsonElement root, string name, string message) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list : throw new InvalidManifestException(message);

    private static void ReadDescriptors(JsonElement list, string where, List<Descriptor> into)
    {
        foreach (var item in list.EnumerateArray())
        {
            into.Add(ReadDescriptor(item, where));
        }
    }

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
            throw new InvalidManifestException($"{where} must be a descriptor object");
        }

        var mediaType = OptionalString(element, "mediaType", where) ?? throw new InvalidManifestException($"{where} has no mediaType");
        var digestText = OptionalString(element, "digest", where);
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new InvalidManifestException($"{where} has an invalid digest '{digestText}'");
        }

        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number ||
            !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new InvalidManifestException($"{where} {digest} has no valid size (a non-negative integer)");
        }

        List<string>? urls = null;
        if (TryGetPresent(element, "urls", out var urlsElement))
        {
            if (urlsElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidManifestException($"{where} {digest}: urls must be an array of strings");
            }

            urls = [];
            foreach (var url in urlsElement.EnumerateArray())
            {
                urls.Add(url.ValueKind == JsonValueKind.String ? url.GetString()! : throw new InvalidManifestException($"{where} {digest}: urls must be an array of strings"));
            }
        }

        Platform? platform = null;
        if (TryGetPresent(element, "platform", out var p))
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidManifestException($"{where} {digest}: platform must be an object");
            }

            platform = new Platform(OptionalString(p, "architecture", where) ?? string.Empty, OptionalString(p, "os", where) ?? string.Empty, OptionalString(p, "variant", where));
        }

        return new Descriptor(mediaType, digest, size, urls, OptionalString(element, "artifactType", where), ReadAnnotations(element, where), platform);
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement element, string where)
    {
        if (!TryGetPresent(element, "annotations", out var annotations))
        {
            return null;
        }

        // image-spec: annotations "MUST be a key-value map where both the key and value MUST be strings".
        if (annotations.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidManifestException($"{where}: annotations must be an object of strings");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new InvalidManifestException($"{where}: annotation '{property.Name}' must be a string");
        }

        return result;
    }

    /// <summary>A field that may be absent; when present it must be a string.</summary>
    private static string? OptionalString(JsonElement element, string name, string where = "manifest")
    {
        if (!TryGetPresent(element, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidManifestException($"{where}: {name} must be a string");
    }

    /// <summary>An optional field; JSON null counts as absent, as it does for registry:2's Go decoder.</summary>
    private static bool TryGetPresent(JsonElement element, string name, out JsonElement value) =>
        element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static (ParsedManifest?, RegistryError?) Invalid(string message) => (null, new RegistryError(ErrorCode.ManifestInvalid, message));

    private sealed class InvalidManifestException(string message) : Exception(message);
}
