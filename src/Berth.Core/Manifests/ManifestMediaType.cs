using System.Text.Json;

namespace Berth.Core.Manifests;

/// <summary>
/// The media type a stored manifest is served with: its own top-level mediaType, or for an OCI manifest that omits
/// it, index or image manifest by shape (as registry:2 decides). Scans only the top level, without building a DOM.
/// </summary>
public static class ManifestMediaType
{
    public static string Detect(ReadOnlySpan<byte> content)
    {
        var reader = new Utf8JsonReader(content, new JsonReaderOptions { MaxDepth = 64 });
        var sawManifests = false;
        var sawConfig = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("mediaType"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        return reader.GetString()!;
                    }
                }
                else if (reader.ValueTextEquals("manifests"u8))
                {
                    sawManifests = true;
                }
                else if (reader.ValueTextEquals("config"u8))
                {
                    sawConfig = true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Stored manifests were validated on the way in; a damaged one is served as an OCI manifest.
        }

        return sawManifests && !sawConfig ? MediaTypes.OciIndex : MediaTypes.OciManifest;
    }
}
