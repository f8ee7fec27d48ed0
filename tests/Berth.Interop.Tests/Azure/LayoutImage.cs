using System.Text.Json;

namespace Berth.Interop.Tests.Azure;

/// <summary>
/// One tagged image or index read back from an OCI image layout on disk: its manifest and the digests of the blobs
/// and child manifests it refers to, so tests can write it into storage or check where a registry put it.
/// </summary>
internal sealed record LayoutImage(string Digest, byte[] Manifest, IReadOnlyList<string> Blobs, IReadOnlyList<LayoutImage> Children)
{
    public static LayoutImage Read(string layoutRoot, string tag)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layoutRoot, "index.json")));
        var descriptor = index.RootElement.GetProperty("manifests").EnumerateArray().Single(m =>
            m.TryGetProperty("annotations", out var annotations)
            && annotations.GetProperty("org.opencontainers.image.ref.name").GetString() == tag);
        return ReadManifest(layoutRoot, descriptor.GetProperty("digest").GetString()!);
    }

    /// <summary>This manifest's digest and every digest below it: child manifests, configs, layers.</summary>
    public IEnumerable<string> AllDigests() => [Digest, .. Blobs, .. Children.SelectMany(c => c.AllDigests())];

    public static byte[] BlobBytes(string layoutRoot, string digest) =>
        File.ReadAllBytes(Path.Combine(layoutRoot, "blobs", "sha256", digest["sha256:".Length..]));

    private static LayoutImage ReadManifest(string layoutRoot, string digest)
    {
        var bytes = BlobBytes(layoutRoot, digest);
        using var manifest = JsonDocument.Parse(bytes);
        var root = manifest.RootElement;
        if (root.TryGetProperty("manifests", out var children))
        {
            var images = children.EnumerateArray().Select(c => ReadManifest(layoutRoot, c.GetProperty("digest").GetString()!)).ToList();
            return new LayoutImage(digest, bytes, [], images);
        }

        List<string> blobs = [root.GetProperty("config").GetProperty("digest").GetString()!];
        blobs.AddRange(root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!));
        return new LayoutImage(digest, bytes, blobs, []);
    }
}
