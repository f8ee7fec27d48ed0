using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Server.Tests.Infrastructure;

/// <summary>Builds manifests and indexes as the OCI image-spec and Docker schema2 describe them.</summary>
public static class ManifestBuilder
{
    public static JsonObject Descriptor(string mediaType, string digest, long size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };

    public static JsonObject Descriptor(string mediaType, byte[] content) => Descriptor(mediaType, Digests.Sha256(content), content.Length);

    public static JsonObject Image(ImageFormat format, JsonObject config, IEnumerable<JsonObject> layers)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = format == ImageFormat.Oci ? MediaType.OciManifest : MediaType.DockerManifest,
            ["config"] = config,
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)l).ToArray()),
        };
        return manifest;
    }

    public static JsonObject Index(ImageFormat format, IEnumerable<JsonObject> manifests) => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = format == ImageFormat.Oci ? MediaType.OciIndex : MediaType.DockerManifestList,
        ["manifests"] = new JsonArray(manifests.Select(m => (JsonNode)m).ToArray()),
    };

    public static JsonObject WithPlatform(this JsonObject descriptor, string os, string architecture)
    {
        descriptor["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = os };
        return descriptor;
    }

    public static byte[] ToBytes(this JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    /// <summary>A config blob that differs on every call, so every test image has its own digests.</summary>
    public static byte[] RandomConfig() =>
        Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Labels":{"test":""" + $"\"{Guid.NewGuid()}\"" + "}}}");
}
