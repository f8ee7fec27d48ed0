using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

public sealed class ManifestTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    public enum Kind
    {
        OciManifest,
        OciIndex,
        DockerManifest,
        DockerManifestList,
    }

    public static TheoryData<Kind> Kinds => new(Enum.GetValues<Kind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Put_by_tag_then_get_and_head_by_tag_and_digest_serve_the_bytes_as_pushed(Kind kind)
    {
        var repository = Names.Repository();
        var (manifest, mediaType) = await PrepareAsync(repository, kind);
        var digest = Digests.Sha256(manifest);

        using var put = await _client.PutManifestAsync(repository, "v1", manifest, mediaType);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        Assert.Equal(digest, put.Header("Docker-Content-Digest"));
        Assert.EndsWith($"/v2/{repository}/manifests/{digest}", put.Headers.Location!.ToString(), StringComparison.Ordinal);

        foreach (var reference in new[] { "v1", digest })
        {
            using var get = await _client.GetManifestAsync(repository, reference, HttpMethod.Get, mediaType);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(manifest, await get.Content.ReadAsByteArrayAsync());
            Assert.Equal(mediaType, get.Content.Headers.ContentType?.MediaType);
            Assert.Equal(digest, get.Header("Docker-Content-Digest"));
            Assert.Contains(digest, get.Headers.ETag?.Tag, StringComparison.Ordinal);

            using var head = await _client.GetManifestAsync(repository, reference, HttpMethod.Head, mediaType);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(manifest.Length, head.Content.Headers.ContentLength);
            Assert.Equal(mediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Equal(digest, head.Header("Docker-Content-Digest"));
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Put_by_digest_then_delete_by_digest_removes_the_manifest_and_its_tags(Kind kind)
    {
        var repository = Names.Repository();
        var (manifest, mediaType) = await PrepareAsync(repository, kind);
        var digest = Digests.Sha256(manifest);

        using var put = await _client.PutManifestAsync(repository, digest, manifest, mediaType);
        using var tagged = await _client.PutManifestAsync(repository, "latest", manifest, mediaType);
        using var deleted = await _client.DeleteAsync($"v2/{repository}/manifests/{digest}");
        using var byDigest = await _client.GetManifestAsync(repository, digest);
        using var byTag = await _client.GetManifestAsync(repository, "latest");
        using var again = await _client.DeleteAsync($"v2/{repository}/manifests/{digest}");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, put.Header("Docker-Content-Digest"));
        Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ErrorAssert.HasErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Manifest_with_odd_whitespace_and_key_order_is_served_byte_for_byte()
    {
        var repository = Names.Repository();
        var config = ManifestBuilder.RandomConfig();
        var configDigest = await _client.PushBlobAsync(repository, config);
        var layer = Digests.RandomBytes(100);
        var layerDigest = await _client.PushBlobAsync(repository, layer);
        var manifest = Encoding.UTF8.GetBytes(
            "{\r\n\t\"layers\" :[ {\"size\":100, \"digest\":\"" + layerDigest + "\",\"mediaType\":\"" + MediaType.OciLayer + "\"}\n ],\n" +
            "   \"config\":{\"mediaType\":\"" + MediaType.OciConfig + "\",\"size\":" + config.Length + ",\"digest\":\"" + configDigest + "\"},\t" +
            "\"schemaVersion\":   2, \"mediaType\": \"" + MediaType.OciManifest + "\",\"annotations\":{\"note\":\"caf\u00e9 \\u00e9\"}   }\n\n");

        using var put = await _client.PutManifestAsync(repository, "odd", manifest, MediaType.OciManifest);
        using var get = await _client.GetManifestAsync(repository, "odd");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(Digests.Sha256(manifest), put.Header("Docker-Content-Digest"));
        Assert.Equal(manifest, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_with_matching_If_None_Match_returns_304()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1");
        using var first = await _client.GetManifestAsync(repository, "v1");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/v1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType.OciManifest));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(image.Digest, first.Headers.ETag!.Tag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_with_a_stale_If_None_Match_returns_the_manifest()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/v1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType.OciManifest));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{Digests.Unknown()}\""));

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(image.Manifest, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(MediaType.DockerSchema1Signed)]
    [InlineData("application/vnd.docker.distribution.manifest.v1+json")]
    [InlineData(MediaType.OciManifest)]
    public async Task Schema1_manifest_is_rejected_with_MANIFEST_INVALID(string contentType)
    {
        var repository = Names.Repository();
        var schema1 = Encoding.UTF8.GetBytes(
            """{"schemaVersion":1,"name":"x/y","tag":"v1","architecture":"amd64","fsLayers":[{"blobSum":"sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],"history":[{"v1Compatibility":"{}"}],"signatures":[]}""");

        using var response = await _client.PutManifestAsync(repository, "v1", schema1, contentType);
        using var get = await _client.GetManifestAsync(repository, "v1");

        var error = await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        Assert.Contains("schema1", error.GetProperty("message").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.example.unknown+json","config":{},"layers":[]}""")]
    public async Task Malformed_manifest_is_rejected_with_MANIFEST_INVALID(string body)
    {
        using var response = await _client.PutManifestAsync(Names.Repository(), "v1", Encoding.UTF8.GetBytes(body), MediaType.OciManifest);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Manifest_referencing_a_missing_layer_is_rejected_with_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        var config = ManifestBuilder.RandomConfig();
        await _client.PushBlobAsync(repository, config);
        var missing = Digests.Unknown();
        var manifest = ManifestBuilder.Image(ImageFormat.Oci, ManifestBuilder.Descriptor(MediaType.OciConfig, config),
            [ManifestBuilder.Descriptor(MediaType.OciLayer, missing, 10)]).ToBytes();

        using var response = await _client.PutManifestAsync(repository, "v1", manifest, MediaType.OciManifest);

        var error = await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Equal(missing, error.GetProperty("detail").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Manifest_referencing_a_blob_only_another_repository_has_is_rejected()
    {
        var elsewhere = Names.Repository();
        var repository = Names.Repository();
        var config = ManifestBuilder.RandomConfig();
        await _client.PushBlobAsync(repository, config);
        var layer = Digests.RandomBytes(50);
        await _client.PushBlobAsync(elsewhere, layer);
        var manifest = ManifestBuilder.Image(ImageFormat.Oci, ManifestBuilder.Descriptor(MediaType.OciConfig, config),
            [ManifestBuilder.Descriptor(MediaType.OciLayer, layer)]).ToBytes();

        using var response = await _client.PutManifestAsync(repository, "v1", manifest, MediaType.OciManifest);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Index_referencing_a_missing_child_manifest_is_rejected_with_MANIFEST_BLOB_UNKNOWN()
    {
        var index = ManifestBuilder.Index(ImageFormat.Oci, [ManifestBuilder.Descriptor(MediaType.OciManifest, Digests.Unknown(), 500).WithPlatform("linux", "amd64")]).ToBytes();

        using var response = await _client.PutManifestAsync(Names.Repository(), "v1", index, MediaType.OciIndex);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Put_by_digest_with_a_wrong_digest_is_rejected_with_DIGEST_INVALID_and_nothing_is_stored()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1");
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(image.Manifest) + " ");

        // The body is not the manifest the URL names (its bytes differ by one space).
        using var response = await _client.PutManifestAsync(repository, Digests.Unknown(), changed, MediaType.OciManifest);
        using var byRealDigest = await _client.GetManifestAsync(repository, Digests.Sha256(changed));
        using var original = await _client.GetManifestAsync(repository, image.Digest);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await ErrorAssert.HasErrorAsync(byRealDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(image.Manifest, await original.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Manifest_over_4_MiB_is_rejected_with_413(bool chunked)
    {
        var repository = Names.Repository();
        var manifest = ManifestBuilder.Image(ImageFormat.Oci, ManifestBuilder.Descriptor(MediaType.OciConfig, Digests.Unknown(), 2), []);
        manifest["annotations"] = new JsonObject { ["padding"] = new string('x', 4 * 1024 * 1024) };
        var body = manifest.ToBytes();
        HttpContent content = chunked ? new ChunkedContent(body, 64 * 1024) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaType.OciManifest);

        using var response = await _client.PutAsync($"v2/{repository}/manifests/big", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Delete_by_tag_removes_the_tag_but_keeps_the_manifest()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "keep");
        using var second = await _client.PutManifestAsync(repository, "drop", image.Manifest, image.MediaType);

        using var deleted = await _client.DeleteAsync($"v2/{repository}/manifests/drop");
        using var dropped = await _client.GetManifestAsync(repository, "drop");
        using var kept = await _client.GetManifestAsync(repository, "keep");
        using var byDigest = await _client.GetManifestAsync(repository, image.Digest);
        using var tags = await _client.GetAsync($"v2/{repository}/tags/list");

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await ErrorAssert.HasErrorAsync(dropped, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        Assert.Equal(["keep"], JsonNode.Parse(await tags.Content.ReadAsStringAsync())!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_of_an_unknown_tag_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await _client.PushImageAsync(repository, "v1");

        using var response = await _client.DeleteAsync($"v2/{repository}/manifests/never");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Retagging_moves_the_tag_to_the_new_manifest()
    {
        var repository = Names.Repository();
        await _client.PushImageAsync(repository, "latest");
        var newer = await _client.PushImageAsync(repository, "latest");

        using var response = await _client.GetManifestAsync(repository, "latest");

        Assert.Equal(newer.Digest, response.Header("Docker-Content-Digest"));
    }

    [Fact]
    public async Task Manifest_delete_is_405_UNSUPPORTED_when_deletion_is_disabled()
    {
        await using var disabled = await RegistryFixture.StartAsync(new RegistrySettings { DeleteEnabled = false });
        var repository = Names.Repository();
        var image = await disabled.Client.PushImageAsync(repository, "v1");

        using var byDigest = await disabled.Client.DeleteAsync($"v2/{repository}/manifests/{image.Digest}");
        using var byTag = await disabled.Client.DeleteAsync($"v2/{repository}/manifests/v1");
        using var after = await disabled.Client.GetManifestAsync(repository, "v1");

        await ErrorAssert.HasErrorAsync(byDigest, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        await ErrorAssert.HasErrorAsync(byTag, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Get_unknown_manifest_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await _client.PushImageAsync(repository, "v1");

        using var byTag = await _client.GetManifestAsync(repository, "v2");
        using var byDigest = await _client.GetManifestAsync(repository, Digests.Unknown());

        await ErrorAssert.HasErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        await ErrorAssert.HasErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    private async Task<(byte[] Manifest, string MediaType)> PrepareAsync(string repository, Kind kind)
    {
        var prepared = kind switch
        {
            Kind.OciIndex => (await _client.PrepareIndexAsync(repository, ImageFormat.Oci)).Index,
            Kind.DockerManifestList => (await _client.PrepareIndexAsync(repository, ImageFormat.Docker)).Index,
            Kind.OciManifest => await _client.PrepareImageAsync(repository, ImageFormat.Oci),
            _ => await _client.PrepareImageAsync(repository, ImageFormat.Docker),
        };
        return (prepared.Manifest, prepared.MediaType);
    }
}
