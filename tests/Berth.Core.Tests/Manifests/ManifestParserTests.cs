using System.Text;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Manifests;

public sealed class ManifestParserTests
{
    private const string Config = $$"""{ "mediaType": "application/vnd.oci.image.config.v1+json", "digest": "{{Samples.ConfigDigest}}", "size": 2 }""";

    [Fact]
    public void An_oci_image_manifest_is_read_with_its_config_layers_and_annotations()
    {
        var manifest = Accept(Samples.OciManifestJson, MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.Equal(Samples.ConfigDigest, manifest.Config!.Digest.Value);
        Assert.Equal(2, manifest.Config.Size);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(Samples.LayerDigest, layer.Digest.Value);
        Assert.Equal(5, layer.Size);
        Assert.Equal("layer.tar.gz", layer.Annotations!["org.opencontainers.image.title"]);
        Assert.Equal("2025-01-01T00:00:00Z", manifest.Annotations!["org.opencontainers.image.created"]);
        Assert.Empty(manifest.Manifests);
        Assert.Equal([Samples.ConfigDigest, Samples.LayerDigest], manifest.BlobReferences.Select(d => d.Value));
    }

    [Fact]
    public void An_oci_index_is_read_with_its_children_and_their_platforms()
    {
        var index = Accept(Samples.OciIndexJson, MediaTypes.OciIndex);

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.True(index.IsIndex);
        Assert.Null(index.Config);
        var child = Assert.Single(index.Manifests);
        Assert.Equal(Samples.ChildDigest, child.Digest.Value);
        Assert.Equal(new Platform("arm64", "linux", "v8"), child.Platform);
        Assert.Empty(index.BlobReferences);
    }

    [Fact]
    public void A_docker_schema2_manifest_is_read_and_foreign_layers_are_not_blob_references()
    {
        var manifest = Accept(Samples.DockerManifestJson, MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(2, manifest.Layers.Count);
        Assert.Equal(["https://example.com/foreign.tar.gz"], manifest.Layers[1].Urls);
        Assert.Equal([Samples.ConfigDigest, Samples.LayerDigest], manifest.BlobReferences.Select(d => d.Value));
    }

    [Fact]
    public void A_docker_manifest_list_is_read_as_an_index()
    {
        var list = Accept(Samples.DockerManifestListJson, MediaTypes.DockerManifestList);

        Assert.Equal(MediaTypes.DockerManifestList, list.MediaType);
        Assert.True(list.IsIndex);
        Assert.Equal(new Platform("amd64", "linux", null), Assert.Single(list.Manifests).Platform);
    }

    [Fact]
    public void An_oci_manifest_without_media_type_takes_the_type_of_its_shape()
    {
        var json = Samples.OciManifestJson.Replace($"\"mediaType\": \"{MediaTypes.OciManifest}\",", "", StringComparison.Ordinal);

        Assert.Equal(MediaTypes.OciManifest, Accept(json, null).MediaType);
        Assert.Equal(MediaTypes.OciManifest, Accept(json, MediaTypes.OciManifest).MediaType);
    }

    [Fact]
    public void An_oci_index_without_media_type_takes_the_type_of_its_shape()
    {
        var json = Samples.OciIndexJson.Replace($"\"mediaType\": \"{MediaTypes.OciIndex}\",", "", StringComparison.Ordinal);

        Assert.Equal(MediaTypes.OciIndex, Accept(json, null).MediaType);
        Assert.Equal(MediaTypes.OciIndex, Accept(json, MediaTypes.OciIndex).MediaType);
    }

    [Fact]
    public void A_null_media_type_counts_as_absent()
    {
        var json = Samples.OciIndexJson.Replace($"\"{MediaTypes.OciIndex}\"", "null", StringComparison.Ordinal);

        Assert.Equal(MediaTypes.OciIndex, Accept(json, null).MediaType);
    }

    [Theory]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8")]
    [InlineData("APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON")]
    [InlineData("  application/vnd.oci.image.manifest.v1+json  ")]
    [InlineData("")]
    public void A_content_type_that_names_the_same_type_in_another_spelling_or_none_is_accepted(string contentType)
    {
        Assert.Equal(MediaTypes.OciManifest, Accept(Samples.OciManifestJson, contentType).MediaType);
    }

    [Fact]
    public void A_content_type_that_disagrees_with_the_declared_media_type_is_refused()
    {
        var error = Refuse(Samples.OciManifestJson, MediaTypes.DockerManifest);

        Assert.Contains("does not match Content-Type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_content_type_that_disagrees_with_the_shape_of_an_undeclared_manifest_is_refused()
    {
        var json = Samples.OciIndexJson.Replace($"\"mediaType\": \"{MediaTypes.OciIndex}\",", "", StringComparison.Ordinal);

        Refuse(json, MediaTypes.OciManifest);
        Refuse(json, MediaTypes.DockerManifestList);
    }

    [Fact]
    public void An_index_pushed_as_an_image_manifest_is_refused_even_when_it_declares_the_image_type()
    {
        // The type is decided by the bytes: an index body cannot be given an image manifest's validation.
        var json = Samples.OciIndexJson.Replace(MediaTypes.OciIndex, MediaTypes.OciManifest, StringComparison.Ordinal);

        Refuse(json, MediaTypes.OciManifest);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"a":"1","a":"2"}}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7","size":1,"size":2}]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7","size":1,"platform":{"os":"linux","os":"windows","architecture":"amd64"}}]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"x-extension":{"deep":{"k":1,"k":2}}}""")]
    public void A_duplicate_key_at_any_level_is_refused(string json)
    {
        // The same document without the duplicate is valid, so the refusal is for the duplicate alone.
        var error = Refuse(json, null);

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2\"")]
    [InlineData("2.0")]
    [InlineData("2e0")]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[2]")]
    public void Schema_version_must_be_the_integer_2(string value)
    {
        var json = Samples.OciManifestJson.Replace("\"schemaVersion\": 2", $"\"schemaVersion\": {value}", StringComparison.Ordinal);

        Refuse(json, null);
    }

    [Fact]
    public void A_manifest_without_schema_version_is_refused()
    {
        Refuse(Samples.OciManifestJson.Replace("\"schemaVersion\": 2,", "", StringComparison.Ordinal), null);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void A_descriptor_size_may_be_any_non_negative_integer(string size, long expected)
    {
        var json = Samples.OciManifestJson.Replace("\"size\": 5", $"\"size\": {size}", StringComparison.Ordinal);

        Assert.Equal(expected, Accept(json, null).Layers[0].Size);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"5\"")]
    [InlineData("5.5")]
    [InlineData("5.0")]
    [InlineData("5e0")]
    [InlineData("9223372036854775808")]
    [InlineData("null")]
    [InlineData("true")]
    public void A_descriptor_size_that_is_not_a_non_negative_integer_is_refused(string size)
    {
        var json = Samples.OciManifestJson.Replace("\"size\": 5", $"\"size\": {size}", StringComparison.Ordinal);

        Assert.Contains("size", Refuse(json, null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_descriptor_without_size_is_refused()
    {
        Refuse(Samples.OciManifestJson.Replace(", \"size\": 5", "", StringComparison.Ordinal), null);
    }

    [Theory]
    [InlineData("sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824")]
    [InlineData("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982")]
    [InlineData("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98244")]
    [InlineData("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982g")]
    [InlineData("md5:5d41402abc4b2a76b9719d911017c592")]
    [InlineData("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    [InlineData(":2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    [InlineData("sha256:../../../../etc/passwd")]
    [InlineData("")]
    public void A_descriptor_digest_outside_the_grammar_is_refused(string digest)
    {
        var json = Samples.OciManifestJson.Replace(Samples.LayerDigest, digest, StringComparison.Ordinal);

        Assert.Contains("digest", Refuse(json, null).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("null")]
    [InlineData("[]")]
    public void A_descriptor_digest_that_is_not_a_string_is_refused(string digest)
    {
        var json = Samples.OciManifestJson.Replace($"\"{Samples.LayerDigest}\"", digest, StringComparison.Ordinal);

        Refuse(json, null);
    }

    [Fact]
    public void A_sha512_descriptor_digest_is_accepted()
    {
        var sha512 = "sha512:" + new string('a', 128);
        var json = Samples.OciManifestJson.Replace(Samples.LayerDigest, sha512, StringComparison.Ordinal);

        Assert.Equal(sha512, Accept(json, null).Layers[0].Digest.Value);
    }

    [Theory]
    [InlineData("\"mediaType\": 7")]
    [InlineData("\"mediaType\": null")]
    [InlineData("\"x-no-media-type\": 1")]
    public void A_descriptor_without_a_string_media_type_is_refused(string replacement)
    {
        var json = Samples.OciManifestJson.Replace("\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\"", replacement, StringComparison.Ordinal);

        Refuse(json, null);
    }

    [Theory]
    [InlineData("\"https://example.com/a\"")]
    [InlineData("[1]")]
    [InlineData("[\"https://example.com/a\", null]")]
    [InlineData("{}")]
    [InlineData("true")]
    public void Urls_must_be_an_array_of_strings(string urls)
    {
        var json = Samples.OciManifestJson.Replace("\"size\": 5", $"\"size\": 5, \"urls\": {urls}", StringComparison.Ordinal);

        Assert.Contains("urls", Refuse(json, null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_urls_count_as_absent_and_an_empty_array_is_accepted()
    {
        var withNull = Samples.OciManifestJson.Replace("\"size\": 5", "\"size\": 5, \"urls\": null", StringComparison.Ordinal);
        var withEmpty = Samples.OciManifestJson.Replace("\"size\": 5", "\"size\": 5, \"urls\": []", StringComparison.Ordinal);

        Assert.Null(Accept(withNull, null).Layers[0].Urls);
        Assert.Empty(Accept(withEmpty, null).Layers[0].Urls!);
    }

    [Theory]
    [InlineData("[\"a\"]")]
    [InlineData("\"a=b\"")]
    [InlineData("{\"a\": 1}")]
    [InlineData("{\"a\": true}")]
    [InlineData("{\"a\": {\"b\": \"c\"}}")]
    [InlineData("{\"a\": [\"b\"]}")]
    public void Annotations_must_be_an_object_of_strings_at_the_top_level(string annotations)
    {
        var json = Samples.OciIndexJson.Replace("\"manifests\":", $"\"annotations\": {annotations}, \"manifests\":", StringComparison.Ordinal);

        Assert.Contains("annotation", Refuse(json, null).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"a\"]")]
    [InlineData("{\"a\": 1}")]
    [InlineData("7")]
    public void Annotations_must_be_an_object_of_strings_in_a_descriptor(string annotations)
    {
        var json = Samples.OciManifestJson.Replace("{ \"org.opencontainers.image.title\": \"layer.tar.gz\" }", annotations, StringComparison.Ordinal);

        Assert.Contains("annotation", Refuse(json, null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_annotations_count_as_absent()
    {
        var json = Samples.OciManifestJson
            .Replace("{ \"org.opencontainers.image.title\": \"layer.tar.gz\" }", "null", StringComparison.Ordinal)
            .Replace("{ \"org.opencontainers.image.created\": \"2025-01-01T00:00:00Z\" }", "null", StringComparison.Ordinal);

        var manifest = Accept(json, null);

        Assert.Null(manifest.Annotations);
        Assert.Null(manifest.Layers[0].Annotations);
    }

    [Theory]
    [InlineData("\"linux/amd64\"")]
    [InlineData("[\"linux\"]")]
    [InlineData("{ \"architecture\": 64, \"os\": \"linux\" }")]
    [InlineData("{ \"architecture\": \"amd64\", \"os\": [\"linux\"] }")]
    [InlineData("{ \"architecture\": \"arm\", \"os\": \"linux\", \"variant\": 7 }")]
    public void Platform_must_be_an_object_with_string_fields(string platform)
    {
        var json = Samples.OciIndexJson.Replace("{ \"architecture\": \"arm64\", \"os\": \"linux\", \"variant\": \"v8\" }", platform, StringComparison.Ordinal);

        Refuse(json, null);
    }

    [Fact]
    public void A_null_platform_counts_as_absent()
    {
        var json = Samples.OciIndexJson.Replace("{ \"architecture\": \"arm64\", \"os\": \"linux\", \"variant\": \"v8\" }", "null", StringComparison.Ordinal);

        Assert.Null(Accept(json, null).Manifests[0].Platform);
    }

    [Fact]
    public void A_subject_is_read_and_a_null_subject_counts_as_absent()
    {
        var withSubject = Samples.OciManifestJson.Replace("\"layers\":",
            $"\"subject\": {{ \"mediaType\": \"{MediaTypes.OciManifest}\", \"digest\": \"{Samples.ChildDigest}\", \"size\": 3 }}, \"layers\":", StringComparison.Ordinal);
        var withNull = Samples.OciManifestJson.Replace("\"layers\":", "\"subject\": null, \"layers\":", StringComparison.Ordinal);

        Assert.Equal(Samples.ChildDigest, Accept(withSubject, null).Subject!.Digest.Value);
        Assert.Null(Accept(withNull, null).Subject);
    }

    [Theory]
    [InlineData("\"subject\": \"sha256:486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7\"")]
    [InlineData("\"subject\": { \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"size\": 3 }")]
    [InlineData("\"artifactType\": 1")]
    [InlineData("\"artifactType\": {}")]
    public void A_subject_or_artifact_type_of_the_wrong_type_is_refused(string field)
    {
        Refuse(Samples.OciManifestJson.Replace("\"layers\":", $"{field}, \"layers\":", StringComparison.Ordinal), null);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\"")]
    public void A_config_that_is_not_a_descriptor_object_is_refused(string config)
    {
        var json = Samples.OciManifestJson.Replace(Config, config, StringComparison.Ordinal);
        Assert.NotEqual(Samples.OciManifestJson, json);

        Assert.Contains("config", Refuse(json, null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_artifact_type_is_read_and_a_null_artifact_type_counts_as_absent()
    {
        var withType = Samples.OciManifestJson.Replace("\"layers\":", "\"artifactType\": \"application/vnd.example+json\", \"layers\":", StringComparison.Ordinal);
        var withNull = Samples.OciManifestJson.Replace("\"layers\":", "\"artifactType\": null, \"layers\":", StringComparison.Ordinal);

        Assert.Equal("application/vnd.example+json", Accept(withType, null).EffectiveArtifactType);
        Assert.Equal("application/vnd.oci.image.config.v1+json", Accept(withNull, null).EffectiveArtifactType);
    }

    [Fact]
    public void A_manifest_media_type_that_is_not_a_string_is_refused()
    {
        Refuse(Samples.OciManifestJson.Replace($"\"{MediaTypes.OciManifest}\"", "1", StringComparison.Ordinal), null);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/vnd.oci.image.config.v1+json")]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8")]
    public void A_declared_media_type_that_is_not_a_manifest_type_is_refused(string mediaType)
    {
        Refuse(Samples.OciManifestJson.Replace($"\"{MediaTypes.OciManifest}\"", $"\"{mediaType}\"", StringComparison.Ordinal), null);
    }

    [Fact]
    public void An_image_manifest_without_config_or_layers_is_refused()
    {
        var noConfig = Samples.OciManifestJson.Replace($"\"config\": {Config},", "", StringComparison.Ordinal);
        Assert.NotEqual(Samples.OciManifestJson, noConfig);

        Assert.Contains("config", Refuse(noConfig, MediaTypes.OciManifest).Message, StringComparison.Ordinal);
        Assert.Contains("layers", Refuse($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifest}}","config":{{Config}} }""", null).Message, StringComparison.Ordinal);
        Assert.Contains("layers", Refuse($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Config}},"layers":{} }""", null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_without_a_manifests_array_is_refused()
    {
        Assert.Contains("manifests", Refuse($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}"}""", null).Message, StringComparison.Ordinal);
        Assert.Contains("manifests", Refuse($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifestList}}","manifests":null}""", null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_are_ignored_as_the_image_spec_requires()
    {
        var json = Samples.OciManifestJson.Replace("\"layers\":", "\"x-vendor\": { \"anything\": [1, \"two\", null] }, \"layers\":", StringComparison.Ordinal);

        Assert.Equal(MediaTypes.OciManifest, Accept(json, null).MediaType);
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1, null)]
    [InlineData(MediaTypes.DockerSchema1Signed, null)]
    [InlineData(null, MediaTypes.DockerSchema1Signed)]
    [InlineData(null, MediaTypes.DockerSchema1)]
    [InlineData(null, null)]
    public void A_docker_schema1_manifest_is_refused_with_a_message_that_says_so(string? mediaType, string? contentType)
    {
        var declared = mediaType is null ? "" : $"\"mediaType\": \"{mediaType}\",";
        var json = $$"""
            { "schemaVersion": 1, {{declared}} "name": "library/hello", "tag": "latest", "architecture": "amd64",
              "fsLayers": [ { "blobSum": "{{Samples.LayerDigest}}" } ], "history": [ { "v1Compatibility": "{}" } ] }
            """;

        Assert.Contains("schema1", Refuse(json, contentType).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema2_body_sent_with_a_schema1_content_type_is_refused()
    {
        Assert.Contains("schema1", Refuse(Samples.DockerManifestJson, MediaTypes.DockerSchema1Signed).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("null")]
    [InlineData("{\"schemaVersion\":2,")]
    [InlineData("{\"schemaVersion\":2} trailing")]
    public void Bytes_that_are_not_one_json_object_are_refused(string text)
    {
        Refuse(text, null);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused()
    {
        // Inside a string Berth reads (the layer's media type "...tar+gzip").
        var bytes = Samples.Bytes(Samples.OciManifestJson);
        bytes[Array.IndexOf(bytes, (byte)'z')] = 0xFF;

        var (manifest, error) = ManifestParser.Parse(bytes, null);

        Assert.Null(manifest);
        Assert.Equal(ErrorCode.ManifestInvalid, error!.Code);
    }

    [Fact]
    public void Nesting_up_to_the_depth_limit_is_accepted_and_one_level_deeper_is_refused()
    {
        // The root object is one level; an extension field holds the rest.
        Accept(Nested(ManifestJson.MaxDepth - 1), null);
        Assert.Contains("not valid JSON", Refuse(Nested(ManifestJson.MaxDepth), null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deeply_nested_document_is_refused_without_an_exception()
    {
        Refuse(Nested(100_000), null);
    }

    private static string Nested(int arrays) =>
        Samples.OciIndexJson.Replace("\"manifests\":", $"\"x-deep\": {new string('[', arrays)}{new string(']', arrays)}, \"manifests\":", StringComparison.Ordinal);

    private static ParsedManifest Accept(string json, string? contentType)
    {
        var (manifest, error) = ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);
        Assert.True(error is null, $"refused: {error?.Message}");
        return manifest!;
    }

    private static RegistryError Refuse(string json, string? contentType)
    {
        var (manifest, error) = ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);
        Assert.Null(manifest);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.ManifestInvalid, error.Code);
        return error;
    }
}
