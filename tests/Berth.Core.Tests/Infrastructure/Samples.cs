using System.Text;
using Berth.Core.Digests;
using Berth.Core.Manifests;

namespace Berth.Core.Tests.Infrastructure;

/// <summary>Manifest documents as real clients push them.</summary>
internal static class Samples
{
    public const string ConfigDigest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    public const string LayerDigest = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    public const string ChildDigest = "sha256:486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7";

    public static readonly string OciManifestJson = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{MediaTypes.OciManifest}}",
          "config": { "mediaType": "application/vnd.oci.image.config.v1+json", "digest": "{{ConfigDigest}}", "size": 2 },
          "layers": [
            { "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "{{LayerDigest}}", "size": 5,
              "annotations": { "org.opencontainers.image.title": "layer.tar.gz" } }
          ],
          "annotations": { "org.opencontainers.image.created": "2025-01-01T00:00:00Z" }
        }
        """;

    public static readonly string OciIndexJson = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{MediaTypes.OciIndex}}",
          "manifests": [
            { "mediaType": "{{MediaTypes.OciManifest}}", "digest": "{{ChildDigest}}", "size": 512,
              "platform": { "architecture": "arm64", "os": "linux", "variant": "v8" } }
          ]
        }
        """;

    public static readonly string DockerManifestJson = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{MediaTypes.DockerManifest}}",
          "config": { "mediaType": "application/vnd.docker.container.image.v1+json", "digest": "{{ConfigDigest}}", "size": 2 },
          "layers": [
            { "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "digest": "{{LayerDigest}}", "size": 5 },
            { "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "digest": "{{ChildDigest}}", "size": 9,
              "urls": ["https://example.com/foreign.tar.gz"] }
          ]
        }
        """;

    public static readonly string DockerManifestListJson = $$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{MediaTypes.DockerManifestList}}",
          "manifests": [
            { "mediaType": "{{MediaTypes.DockerManifest}}", "digest": "{{ChildDigest}}", "size": 528,
              "platform": { "architecture": "amd64", "os": "linux" } }
          ]
        }
        """;

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    public static byte[] OciManifest(Digest config, long configSize, Digest layer, long layerSize, Digest? subject = null) => Bytes($$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config}}","size":{{configSize}}},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layer}}","size":{{layerSize}}}]{{(subject is null ? "" : $$""","subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{subject}}","size":2}""")}}}
        """);
}
