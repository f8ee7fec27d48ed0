using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Bench.Content;

namespace Berth.Bench.Registry;

/// <summary>An OCI image: a config blob, layer blobs and the manifest bytes that reference them.</summary>
internal sealed class ImageManifest
{
    private ImageManifest(InlineBlob config, IReadOnlyList<IBlobPayload> layers, byte[] bytes)
    {
        Config = config;
        Layers = layers;
        Bytes = bytes;
        Digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public InlineBlob Config { get; }

    public IReadOnlyList<IBlobPayload> Layers { get; }

    public byte[] Bytes { get; }

    public string Digest { get; }

    /// <summary>A config whose diff_ids name the layers (they are uncompressed "tar" layers), made unique by <paramref name="label"/>.</summary>
    public static InlineBlob CreateConfig(string label, IReadOnlyList<IBlobPayload> layers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("architecture", "amd64");
            json.WriteString("os", "linux");
            json.WriteStartObject("config");
            json.WriteStartObject("Labels");
            json.WriteString("berth.bench", label);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diff_ids");
            foreach (var layer in layers)
                json.WriteStringValue(layer.Digest);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new InlineBlob(buffer.WrittenSpan.ToArray());
    }

    public static ImageManifest Create(InlineBlob config, IReadOnlyList<IBlobPayload> layers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciManifest);
            WriteDescriptor(json, "config", MediaTypes.OciConfig, config);
            json.WriteStartArray("layers");
            foreach (var layer in layers)
                WriteDescriptor(json, null, MediaTypes.OciLayer, layer);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new ImageManifest(config, layers, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Config and layers with a fresh config of their own.</summary>
    public static ImageManifest Create(string label, IReadOnlyList<IBlobPayload> layers) => Create(CreateConfig(label, layers), layers);

    private static void WriteDescriptor(Utf8JsonWriter json, string? property, string mediaType, IBlobPayload blob)
    {
        if (property is null)
            json.WriteStartObject();
        else
            json.WriteStartObject(property);
        json.WriteString("mediaType", mediaType);
        json.WriteString("digest", blob.Digest);
        json.WriteNumber("size", blob.Size);
        json.WriteEndObject();
    }
}
