using Berth.Core.Manifests;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Manifests;

public sealed class ManifestMediaTypeTests
{
    private static readonly string[] ManifestTypes =
    [
        MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList,
        MediaTypes.DockerSchema1, MediaTypes.DockerSchema1Signed,
    ];

    /// <summary>Every valid document shape, declared and undeclared.</summary>
    public static TheoryData<string> ValidDocuments() =>
    [
        Samples.OciManifestJson,
        Samples.OciIndexJson,
        Samples.DockerManifestJson,
        Samples.DockerManifestListJson,
        Samples.OciManifestJson.Replace($"\"mediaType\": \"{MediaTypes.OciManifest}\",", "", StringComparison.Ordinal),
        Samples.OciIndexJson.Replace($"\"mediaType\": \"{MediaTypes.OciIndex}\",", "", StringComparison.Ordinal),
        Samples.OciIndexJson.Replace($"\"{MediaTypes.OciIndex}\"", "null", StringComparison.Ordinal),
        Samples.OciManifestJson.Replace($"\"{MediaTypes.OciManifest}\"", "null", StringComparison.Ordinal),
        // An index that also carries a config is an image manifest by shape, and is valid as one when undeclared.
        Samples.OciIndexJson.Replace($"\"mediaType\": \"{MediaTypes.OciIndex}\",",
            $"\"config\": {{ \"mediaType\": \"a/b\", \"digest\": \"{Samples.ConfigDigest}\", \"size\": 2 }}, \"layers\": [],", StringComparison.Ordinal),
        $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[]}""",
        $$"""{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{Samples.ConfigDigest}}","size":2},"layers":[],"artifactType":"application/vnd.example"}""",
    ];

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Detect_and_parse_agree_on_the_media_type_of_every_valid_document(string json)
    {
        var bytes = Samples.Bytes(json);
        var (manifest, error) = ManifestParser.Parse(bytes, null);
        Assert.True(error is null, error?.Message);

        Assert.Equal(manifest!.MediaType, ManifestMediaType.Detect(bytes));

        // Pushed with the Content-Type a client would send, the same type is validated and later served.
        var (withContentType, contentTypeError) = ManifestParser.Parse(bytes, manifest.MediaType);
        Assert.True(contentTypeError is null, contentTypeError?.Message);
        Assert.Equal(withContentType!.MediaType, ManifestMediaType.Detect(bytes));
    }

    [Fact]
    public void A_declared_html_type_is_served_as_the_type_its_shape_implies()
    {
        var image = Samples.OciManifestJson.Replace(MediaTypes.OciManifest, "text/html", StringComparison.Ordinal);
        var index = Samples.OciIndexJson.Replace(MediaTypes.OciIndex, "text/html", StringComparison.Ordinal);

        Assert.Equal(MediaTypes.OciManifest, ManifestMediaType.Detect(Samples.Bytes(image)));
        Assert.Equal(MediaTypes.OciIndex, ManifestMediaType.Detect(Samples.Bytes(index)));
    }

    [Theory]
    [InlineData("\"text/html\"")]
    [InlineData("\"text/html; charset=utf-8\"")]
    [InlineData("\"application/json\"")]
    [InlineData("\"application/javascript\"")]
    [InlineData("\"image/svg+xml\"")]
    [InlineData("\"APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON\"")]
    [InlineData("\"application/vnd.oci.image.manifest.v1+json; x=<script>\"")]
    [InlineData("\"application/vnd.oci.image.config.v1+json\"")]
    [InlineData("\"\"")]
    [InlineData("\"application/vnd.oci.image.manifest.v1+json\\r\\nX-Injected: 1\"")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("[\"text/html\"]")]
    [InlineData("null")]
    public void Detect_never_returns_a_type_that_is_not_a_manifest_type(string declared)
    {
        foreach (var document in new[] { Samples.OciManifestJson, Samples.OciIndexJson })
        {
            var json = document.Replace($"\"{MediaTypes.OciManifest}\"", declared, StringComparison.Ordinal)
                .Replace($"\"mediaType\": \"{MediaTypes.OciIndex}\"", $"\"mediaType\": {declared}", StringComparison.Ordinal);

            var detected = ManifestMediaType.Detect(Samples.Bytes(json));

            Assert.Contains(detected, ManifestTypes);
        }
    }

    [Fact]
    public void A_declared_schema1_type_is_kept_so_it_is_served_as_stored()
    {
        var json = $$"""{"schemaVersion":1,"mediaType":"{{MediaTypes.DockerSchema1Signed}}","name":"a","tag":"b","fsLayers":[]}""";

        Assert.Equal(MediaTypes.DockerSchema1Signed, ManifestMediaType.Detect(Samples.Bytes(json)));
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"manifests":[],"manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":{"a":1,"a":2},"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"annotations":{"k":"v","k":"w"}}]}""")]
    public void Detect_refuses_a_document_with_a_duplicate_key_at_any_level(string json)
    {
        Assert.Null(ManifestMediaType.Detect(Samples.Bytes(json)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html></html>")]
    [InlineData("{\"schemaVersion\":2,")]
    [InlineData("[]")]
    [InlineData("\"application/vnd.oci.image.manifest.v1+json\"")]
    [InlineData("{} {}")]
    public void Detect_refuses_bytes_that_are_not_one_json_object(string text)
    {
        Assert.Null(ManifestMediaType.Detect(Samples.Bytes(text)));
    }

    [Fact]
    public void Detect_refuses_a_document_deeper_than_the_limit()
    {
        var arrays = ManifestJson.MaxDepth;
        var json = $"{{\"schemaVersion\":2,\"x\":{new string('[', arrays)}{new string(']', arrays)},\"manifests\":[]}}";

        Assert.Null(ManifestMediaType.Detect(Samples.Bytes(json)));
    }
}
