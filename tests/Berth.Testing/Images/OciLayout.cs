using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Testing;

/// <summary>
/// Writes real images as OCI image layouts on disk (gzip tar layers, a config with matching diff_ids), so skopeo and
/// podman can push them and unpack what they pull.
/// </summary>
public sealed class OciLayout
{
    private readonly string _root;
    private readonly JsonArray _indexManifests = [];

    public OciLayout(string root)
    {
        _root = root;
        Directory.CreateDirectory(Path.Combine(_root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(_root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        WriteIndex();
    }

    /// <summary>The skopeo transport reference for a tag in this layout.</summary>
    public string Reference(string tag) => $"oci:{_root}:{tag}";

    /// <summary>Adds an image of <paramref name="layerCount"/> layers of random content and tags it; returns its manifest digest.</summary>
    public string AddImage(string tag, int layerCount, int layerBytes, int seed, string architecture = "amd64")
    {
        var descriptor = BuildImage(layerCount, layerBytes, seed, architecture);
        descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        _indexManifests.Add(descriptor);
        WriteIndex();
        return descriptor["digest"]!.GetValue<string>();
    }

    /// <summary>Adds a multi-platform OCI index with one image per architecture; returns the index digest.</summary>
    public string AddMultiArchIndex(string tag, int seed, params string[] architectures)
    {
        var children = new JsonArray();
        for (var i = 0; i < architectures.Length; i++)
        {
            var child = BuildImage(2, 4096, seed + i, architectures[i]);
            child["platform"] = new JsonObject { ["architecture"] = architectures[i], ["os"] = "linux" };
            children.Add(child);
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = children,
        };
        var descriptor = WriteBlob(Encoding.UTF8.GetBytes(index.ToJsonString()), "application/vnd.oci.image.index.v1+json");
        descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        _indexManifests.Add(descriptor);
        WriteIndex();
        return descriptor["digest"]!.GetValue<string>();
    }

    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private JsonObject BuildImage(int layerCount, int layerBytes, int seed, string architecture)
    {
        var random = new Random(seed);
        var layers = new JsonArray();
        var diffIds = new JsonArray();
        for (var i = 0; i < layerCount; i++)
        {
            var content = new byte[layerBytes];
            random.NextBytes(content);
            var tar = Tar($"layer-{seed}-{i}.bin", content);
            diffIds.Add(Sha256(tar));
            layers.Add(WriteBlob(Gzip(tar), "application/vnd.oci.image.layer.v1.tar+gzip"));
        }

        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        };
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = WriteBlob(Encoding.UTF8.GetBytes(config.ToJsonString()), "application/vnd.oci.image.config.v1+json"),
            ["layers"] = layers,
        };
        return WriteBlob(Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json");
    }

    private JsonObject WriteBlob(byte[] content, string mediaType)
    {
        var digest = Sha256(content);
        File.WriteAllBytes(Path.Combine(_root, "blobs", "sha256", digest["sha256:".Length..]), content);
        return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = content.Length };
    }

    private void WriteIndex()
    {
        var index = new JsonObject { ["schemaVersion"] = 2, ["manifests"] = _indexManifests.DeepClone() };
        File.WriteAllText(Path.Combine(_root, "index.json"), index.ToJsonString());
    }

    private static byte[] Tar(string fileName, byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                DataStream = new MemoryStream(content),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            };
            writer.WriteEntry(entry);
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}
