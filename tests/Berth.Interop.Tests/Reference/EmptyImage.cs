using System.Text;

namespace Berth.Interop.Tests.Reference;

/// <summary>The smallest image both registries accept: an OCI manifest whose config is the empty blob, no layers.</summary>
internal static class EmptyImage
{
    public const string EmptyBlob = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    public static byte[] Manifest { get; } = Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{EmptyBlob}}","size":0},"layers":[]}""");

    /// <summary>
    /// Uploads the empty blob to the repository on both registries (idempotent), so manifests may name it. Through an
    /// empty PATCH first: the other paths to the empty blob are what ZeroLengthBlobTests examines, and a defect there
    /// must not fail every test that merely needs the blob.
    /// </summary>
    public static async Task UploadEmptyBlobAsync(ReferencePair pair, string repository)
    {
        foreach (Send send in new Send[] { pair.SendToRegistry2Async, pair.SendToBerthAsync })
        {
            var upload = await new Scenario(send).StartUploadAsync(repository);
            var patched = await send("PATCH", upload, [], "application/octet-stream");
            Assert.True(patched.Status == 202, $"empty PATCH to {repository}: {patched}");
            upload = patched.Header("Location") is { } location ? Scenario.Target(location) : upload;
            var complete = await send("PUT", Scenario.WithDigest(upload, EmptyBlob), contentLength: 0);
            Assert.True(complete.Status == 201, $"uploading the empty blob to {repository}: {complete}");
        }
    }
}
