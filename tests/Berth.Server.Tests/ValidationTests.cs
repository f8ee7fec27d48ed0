using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>Names, tags and digests are checked against the distribution-spec grammars before storage is touched.</summary>
public sealed class ValidationTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly string Sha256Hex = new('a', 64);

    private readonly HttpClient _client = registry.Client;

    public static TheoryData<string> BadNames => new()
    {
        "Upper/Case",
        "library/Ubuntu",
        "a..b",
        "a%2e%2eb",
        "-leading",
        "trailing-",
        "a//b",
        "a__-b",
        "sp%20ace",
        "a%2Fb%2F..%2F..%2Fc",
        new string('a', 256),
        string.Join('/', Enumerable.Repeat(new string('b', 60), 5)),
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task Bad_repository_name_returns_400_NAME_INVALID_on_every_endpoint(string name)
    {
        var targets = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, $"/v2/{name}/tags/list"),
            (HttpMethod.Get, $"/v2/{name}/manifests/latest"),
            (HttpMethod.Put, $"/v2/{name}/manifests/latest"),
            (HttpMethod.Get, $"/v2/{name}/blobs/sha256:{Sha256Hex}"),
            (HttpMethod.Post, $"/v2/{name}/blobs/uploads/"),
            (HttpMethod.Get, $"/v2/{name}/referrers/sha256:{Sha256Hex}"),
        };
        foreach (var (method, path) in targets)
        {
            // Raw, so the name reaches the server exactly as written.
            var response = await RawHttp.SendAsync(registry.BaseAddress, method.Method, path, method == HttpMethod.Put ? "{}"u8.ToArray() : null);
            Assert.True(response.Status == 400, $"{method} {path}: {response.Status} {response.Body}");
            Assert.Contains("\"NAME_INVALID\"", response.Body, StringComparison.Ordinal);
        }

        Assert.Empty(registry.Store.EntriesOutsideRoot());
    }

    [Fact]
    public async Task Longest_valid_repository_name_is_accepted()
    {
        var name = string.Join('/', Enumerable.Repeat(new string('c', 50), 4)) + "/" + new string('d', 51);
        Assert.Equal(255, name.Length);

        await _client.PushImageAsync(name, "v1", layerCount: 1);
        using var response = await _client.GetManifestAsync(name, "v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("-dash")]
    [InlineData(".dot")]
    [InlineData("tag!")]
    [InlineData("t%2Fx")]
    [InlineData("129")]
    public async Task Bad_tag_is_400_TAG_INVALID_on_put_and_404_MANIFEST_UNKNOWN_on_reads(string tag)
    {
        if (tag == "129")
        {
            tag = new string('t', 129);
        }

        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1", layerCount: 1);

        var put = await RawHttp.SendAsync(registry.BaseAddress, "PUT", $"/v2/{repository}/manifests/{tag}", image.Manifest);
        var get = await RawHttp.SendAsync(registry.BaseAddress, "GET", $"/v2/{repository}/manifests/{tag}");
        var head = await RawHttp.SendAsync(registry.BaseAddress, "HEAD", $"/v2/{repository}/manifests/{tag}");

        // distribution-spec and registry:2: a PUT of an invalid tag is refused; such a manifest cannot exist, so a
        // read of it is simply unknown (the OCI conformance suite expects 404 here).
        Assert.True(put.Status == 400 && put.Body.Contains("\"TAG_INVALID\"", StringComparison.Ordinal), $"PUT {tag}: {put.Status} {put.Body}");
        Assert.True(get.Status == 404 && get.Body.Contains("\"MANIFEST_UNKNOWN\"", StringComparison.Ordinal), $"GET {tag}: {get.Status} {get.Body}");
        Assert.Equal(404, head.Status);
        var delete = await RawHttp.SendAsync(registry.BaseAddress, "DELETE", $"/v2/{repository}/manifests/{tag}");
        Assert.True(delete.Status == 404 && delete.Body.Contains("\"MANIFEST_UNKNOWN\"", StringComparison.Ordinal), $"DELETE {tag}: {delete.Status} {delete.Body}");
    }

    [Fact]
    public async Task Tag_of_128_characters_is_accepted()
    {
        var repository = Names.Repository();
        var image = await _client.PushImageAsync(repository, "v1", layerCount: 1);

        using var put = await _client.PutManifestAsync(repository, new string('t', 128), image.Manifest, image.MediaType);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    public static TheoryData<string> BadDigests => new()
    {
        "sha256:abc",
        "sha256:" + new string('A', 64),
        "sha256:" + new string('g', 64),
        "sha256:" + new string('a', 65),
        "md5:" + new string('a', 32),
        "sha384:" + new string('a', 96),
        "sha512:" + new string('a', 64),
        "sha256" + new string('a', 64),
        ":" + new string('a', 64),
    };

    [Theory]
    [MemberData(nameof(BadDigests))]
    public async Task Bad_digest_returns_400_DIGEST_INVALID(string digest)
    {
        var repository = Names.Repository();
        var escaped = Uri.EscapeDataString(digest);
        using var blob = await _client.GetAsync($"v2/{repository}/blobs/{digest}");
        using var upload = await _client.PostAsync($"v2/{repository}/blobs/uploads/?digest={escaped}", new ByteArrayContent([1]));
        using var session = await _client.StartUploadAsync(repository);
        using var complete = await _client.CompleteUploadAsync(_client.LocationOf(session), digest, [1]);
        using var mount = await _client.PostAsync($"v2/{repository}/blobs/uploads/?mount={escaped}&from=other", null);

        // registry:2 routes only algorithm:hex references to its blob handler (400 when malformed); anything else
        // names no blob (404).
        if (Berth.Core.Digests.Digest.HasDigestShape(digest))
        {
            await ErrorAssert.HasErrorAsync(blob, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        }
        else
        {
            await ErrorAssert.HasErrorAsync(blob, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        }

        await ErrorAssert.HasErrorAsync(upload, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await ErrorAssert.HasErrorAsync(complete, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await ErrorAssert.HasErrorAsync(mount, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        if (digest.Contains(':', StringComparison.Ordinal))
        {
            // A manifest reference with a colon is a digest, never a tag: refused on PUT, unknown on a read.
            using var manifest = await _client.GetManifestAsync(repository, escaped);
            await ErrorAssert.HasErrorAsync(manifest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
            using var put = await _client.PutManifestAsync(repository, escaped, "{}"u8.ToArray(), MediaType.OciManifest);
            await ErrorAssert.HasErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");

            // registry:2 2.8.2 answers a DELETE of a malformed algorithm:hex digest with 400 DIGEST_INVALID; a
            // reference of another shape names nothing (404).
            using var delete = await _client.DeleteAsync($"v2/{repository}/manifests/{escaped}");
            await ErrorAssert.HasErrorAsync(delete, Berth.Core.Digests.Digest.HasDigestShape(digest) ? HttpStatusCode.BadRequest : HttpStatusCode.NotFound,
                Berth.Core.Digests.Digest.HasDigestShape(digest) ? "DIGEST_INVALID" : "MANIFEST_UNKNOWN");
        }
    }

    [Fact]
    public async Task Put_upload_without_digest_returns_400_DIGEST_INVALID()
    {
        using var session = await _client.StartUploadAsync(Names.Repository());

        using var response = await _client.PutAsync(_client.LocationOf(session), new ByteArrayContent([1, 2]));

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Sha512_digests_work_end_to_end()
    {
        var repository = Names.Repository();
        var layer = Digests.RandomBytes(5000);
        var layerDigest = Digests.Sha512(layer);
        using var monolithic = await _client.PostAsync($"v2/{repository}/blobs/uploads/?digest={layerDigest}", new ByteArrayContent(layer));
        var config = ManifestBuilder.RandomConfig();
        var configDigest = Digests.Sha512(config);
        using var session = await _client.StartUploadAsync(repository);
        using var patched = await _client.PatchChunkAsync(_client.LocationOf(session), config[..10], 0);
        using var chunked = await _client.CompleteUploadAsync(_client.LocationOf(patched), configDigest, config[10..]);
        var manifest = ManifestBuilder.Image(ImageFormat.Oci,
            ManifestBuilder.Descriptor(MediaType.OciConfig, configDigest, config.Length),
            [ManifestBuilder.Descriptor(MediaType.OciLayer, layerDigest, layer.Length)]).ToBytes();
        var manifestDigest = Digests.Sha512(manifest);

        using var put = await _client.PutManifestAsync(repository, manifestDigest, manifest, MediaType.OciManifest);
        using var getManifest = await _client.GetManifestAsync(repository, manifestDigest);
        using var getLayer = await _client.GetAsync($"v2/{repository}/blobs/{layerDigest}");
        using var headConfig = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{configDigest}"));

        Assert.Equal(HttpStatusCode.Created, monolithic.StatusCode);
        Assert.Equal(layerDigest, monolithic.Header("Docker-Content-Digest"));
        Assert.Equal(HttpStatusCode.Created, chunked.StatusCode);
        Assert.Equal(configDigest, chunked.Header("Docker-Content-Digest"));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        Assert.Equal(manifestDigest, put.Header("Docker-Content-Digest"));
        Assert.Equal(manifest, await getManifest.Content.ReadAsByteArrayAsync());
        Assert.Equal(manifestDigest, getManifest.Header("Docker-Content-Digest"));
        Assert.Equal(layer, await getLayer.Content.ReadAsByteArrayAsync());
        Assert.Equal(layerDigest, getLayer.Header("Docker-Content-Digest"));
        Assert.Equal(config.Length, headConfig.Content.Headers.ContentLength);
        var hex = layerDigest["sha512:".Length..];
        Assert.True(await registry.Services.Driver.StatAsync($"/docker/registry/v2/blobs/sha512/{hex[..2]}/{hex}/data") is { IsDirectory: false }, "sha512 blob not in registry:2's layout");
    }

    [Fact]
    public async Task Sha512_upload_with_a_wrong_digest_is_rejected()
    {
        var repository = Names.Repository();
        var content = Digests.RandomBytes(100);
        var wrong = Digests.Sha512(Digests.RandomBytes(100));

        using var response = await _client.PostAsync($"v2/{repository}/blobs/uploads/?digest={wrong}", new ByteArrayContent(content));

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.False(File.Exists(registry.Store.BlobDataPath(Digests.Sha512(content))));
    }
}
