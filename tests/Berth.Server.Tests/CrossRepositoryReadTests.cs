using System.Net;
using System.Text;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// Issue 8, finding 6 (HIGH) and 7: a manifest list in one repository must never be a way to read a blob or
/// manifest of another, nor to pull a large blob into memory.
/// </summary>
public sealed class CrossRepositoryReadTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient _client = registry.Client;

    [Fact]
    public async Task Manifest_with_two_media_types_is_refused_so_it_cannot_be_validated_as_one_type_and_served_as_another()
    {
        var victim = Names.Repository("victim");
        var secret = await _client.PushBlobAsync(victim, Encoding.UTF8.GetBytes("private layer of the victim"));
        var attacker = Names.Repository("attacker");
        var image = await _client.PrepareImageAsync(attacker, ImageFormat.Docker, layerCount: 1);
        var crafted = CraftedList(image, secret);

        using var put = await _client.PutManifestAsync(attacker, "evil", Encoding.UTF8.GetBytes(crafted), MediaType.DockerManifest);

        await ErrorAssert.HasErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task List_already_in_storage_never_serves_a_child_that_is_not_linked_in_its_repository()
    {
        var victim = Names.Repository("victim");
        var victimImage = await _client.PushImageAsync(victim, "private", ImageFormat.Docker, layerCount: 1);
        var attacker = Names.Repository("attacker");

        // A list naming the victim's manifest, written straight into the attacker's repository as another tool (or
        // an older Berth) might have stored it.
        var list = $$$"""{"schemaVersion":2,"mediaType":"{{{MediaType.DockerManifestList}}}","manifests":[{"mediaType":"{{{MediaType.DockerManifest}}}","digest":"{{{victimImage.Digest}}}","size":{{{victimImage.Manifest.Length}}},"platform":{"architecture":"amd64","os":"linux"}}]}""";
        await StoreTaggedManifestAsync(attacker, "evil", Encoding.UTF8.GetBytes(list));

        using var response = await _client.GetManifestAsync(attacker, "evil", HttpMethod.Get, MediaType.DockerManifest);

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Revision_link_to_a_blob_larger_than_a_manifest_is_not_read_into_memory_or_served()
    {
        var repository = Names.Repository();
        var large = new byte[5 * 1024 * 1024];
        large[0] = (byte)'{';
        large[^1] = (byte)'}';
        Array.Fill(large, (byte)' ', 1, large.Length - 2);
        await StoreTaggedManifestAsync(repository, "big", large);

        using var response = await _client.GetManifestAsync(repository, "big");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Stored_manifest_declaring_text_html_is_never_served_as_html()
    {
        var repository = Names.Repository();
        var html = """{"schemaVersion":2,"mediaType":"text/html","config":{"mediaType":"a/b","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1},"layers":[],"annotations":{"x":"<script>alert(1)</script>"}}""";
        await StoreTaggedManifestAsync(repository, "page", Encoding.UTF8.GetBytes(html));

        using var response = await _client.GetManifestAsync(repository, "page", HttpMethod.Get, "*/*");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaType.OciManifest, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Contains("default-src 'none'", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_whose_first_media_type_is_text_html_is_refused()
    {
        var repository = Names.Repository();
        var image = await _client.PrepareImageAsync(repository, ImageFormat.Oci, layerCount: 1);
        var text = Encoding.UTF8.GetString(image.Manifest);
        var crafted = "{\"mediaType\":\"text/html\"," + text[1..];

        using var put = await _client.PutManifestAsync(repository, "page", Encoding.UTF8.GetBytes(crafted), MediaType.OciManifest);

        await ErrorAssert.HasErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    /// <summary>
    /// The HIGH finding's manifest: an image manifest for the parser that keeps the last <c>mediaType</c>, a list for
    /// a reader that keeps the first, whose amd64 child is another repository's blob.
    /// </summary>
    private static string CraftedList(TestImage image, string foreignDigest)
    {
        var text = Encoding.UTF8.GetString(image.Manifest);
        var body = text[1..^1].Replace($"\"mediaType\":\"{MediaType.DockerManifest}\",", string.Empty, StringComparison.Ordinal);
        return $$$"""{"mediaType":"{{{MediaType.DockerManifestList}}}","manifests":[{"mediaType":"{{{MediaType.DockerManifest}}}","digest":"{{{foreignDigest}}}","size":27,"platform":{"architecture":"amd64","os":"linux"}}],{{{body}}},"mediaType":"{{{MediaType.DockerManifest}}}"}""";
    }

    private async Task StoreTaggedManifestAsync(string repository, string tag, byte[] content)
    {
        var driver = registry.Services.Driver;
        Assert.True(RepositoryName.TryParse(repository, out var name));
        var digest = Digest.Compute(DigestAlgorithm.Sha256, content);
        await driver.PutContentAsync(RegistryPaths.BlobData(digest), content);
        await driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(name, digest), Encoding.ASCII.GetBytes(digest.Value));
        await driver.PutContentAsync(RegistryPaths.TagCurrentLink(name, tag), Encoding.ASCII.GetBytes(digest.Value));
    }
}
