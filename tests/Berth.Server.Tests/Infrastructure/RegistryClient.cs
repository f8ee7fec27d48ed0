using System.Net;
using System.Net.Http.Headers;

namespace Berth.Server.Tests.Infrastructure;

/// <summary>The client side of the distribution-spec flows the tests build on.</summary>
public static class RegistryClient
{
    /// <summary>Pushes a blob with a monolithic POST ?digest= and returns its digest.</summary>
    public static async Task<string> PushBlobAsync(this HttpClient client, string repository, byte[] content)
    {
        var digest = Digests.Sha256(content);
        using var response = await client.PostAsync($"v2/{repository}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"blob push to {repository}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return digest;
    }

    public static async Task<HttpResponseMessage> StartUploadAsync(this HttpClient client, string repository)
    {
        var response = await client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response;
    }

    /// <summary>Where a session or blob response points, resolved the way a client follows it (absolute or relative).</summary>
    public static Uri LocationOf(this HttpClient client, HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"{(int)response.StatusCode} response has no Location");
        return location.IsAbsoluteUri ? location : new Uri(client.BaseAddress!, location);
    }

    public static async Task<HttpResponseMessage> PatchChunkAsync(this HttpClient client, Uri location, byte[] chunk, long start)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        // distribution-spec: Content-Range: <range-start>-<range-end>, inclusive, without a unit.
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
        return await client.SendAsync(request);
    }

    /// <summary>PUT ?digest= on a session location, appending <paramref name="finalChunk"/> when given.</summary>
    public static Task<HttpResponseMessage> CompleteUploadAsync(this HttpClient client, Uri location, string digest, byte[]? finalChunk = null)
    {
        var separator = location.Query.Length > 0 ? "&" : "?";
        var content = new ByteArrayContent(finalChunk ?? []);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), content);
    }

    public static async Task<HttpResponseMessage> PutManifestAsync(this HttpClient client, string repository, string reference, byte[] manifest, string mediaType)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await client.PutAsync($"v2/{repository}/manifests/{reference}", content);
    }

    /// <summary>GET (or HEAD) a manifest; with no <paramref name="accept"/>, every manifest type is accepted.</summary>
    public static Task<HttpResponseMessage> GetManifestAsync(this HttpClient client, string repository, string reference, HttpMethod? method = null, params string[] accept)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var type in accept.Length > 0 ? accept : MediaType.AllManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return client.SendAsync(request);
    }

    /// <summary>Pushes a config and random layers and returns the manifest over them, not yet pushed.</summary>
    public static async Task<TestImage> PrepareImageAsync(this HttpClient client, string repository, ImageFormat format = ImageFormat.Oci, int layerCount = 2)
    {
        var config = ManifestBuilder.RandomConfig();
        var configDigest = await client.PushBlobAsync(repository, config);
        var layers = new List<TestBlob>();
        for (var i = 0; i < layerCount; i++)
        {
            var layer = Digests.RandomBytes(1024 + i * 100);
            layers.Add(new TestBlob(await client.PushBlobAsync(repository, layer), layer));
        }

        var (configType, layerType) = format == ImageFormat.Oci ? (MediaType.OciConfig, MediaType.OciLayer) : (MediaType.DockerConfig, MediaType.DockerLayer);
        var manifest = ManifestBuilder.Image(format, ManifestBuilder.Descriptor(configType, config), layers.Select(l => ManifestBuilder.Descriptor(layerType, l.Content))).ToBytes();
        var mediaType = format == ImageFormat.Oci ? MediaType.OciManifest : MediaType.DockerManifest;
        return new TestImage(repository, Digests.Sha256(manifest), manifest, mediaType, new TestBlob(configDigest, config), layers);
    }

    /// <summary>Pushes a config and random layers, then the manifest by tag (or by digest when tag is null).</summary>
    public static async Task<TestImage> PushImageAsync(this HttpClient client, string repository, string? tag, ImageFormat format = ImageFormat.Oci, int layerCount = 2)
    {
        var image = await client.PrepareImageAsync(repository, format, layerCount);
        await client.PushManifestAsync(image, tag);
        return image;
    }

    /// <summary>
    /// Pushes two fresh images and returns a multi-platform index (or manifest list) over them, not yet pushed;
    /// linux/amd64 is listed second so that picking it is not picking the first.
    /// </summary>
    public static async Task<(TestImage Index, TestImage Arm64, TestImage Amd64)> PrepareIndexAsync(this HttpClient client, string repository, ImageFormat format)
    {
        var arm64 = await client.PushImageAsync(repository, null, format, layerCount: 1);
        var amd64 = await client.PushImageAsync(repository, null, format, layerCount: 1);
        var index = ManifestBuilder.Index(format,
        [
            ManifestBuilder.Descriptor(arm64.MediaType, arm64.Digest, arm64.Manifest.Length).WithPlatform("linux", "arm64"),
            ManifestBuilder.Descriptor(amd64.MediaType, amd64.Digest, amd64.Manifest.Length).WithPlatform("linux", "amd64"),
        ]).ToBytes();
        var mediaType = format == ImageFormat.Oci ? MediaType.OciIndex : MediaType.DockerManifestList;
        return (new TestImage(repository, Digests.Sha256(index), index, mediaType, arm64.Config, []), arm64, amd64);
    }

    public static async Task<(TestImage Index, TestImage Arm64, TestImage Amd64)> PushIndexAsync(this HttpClient client, string repository, string? tag, ImageFormat format)
    {
        var prepared = await client.PrepareIndexAsync(repository, format);
        await client.PushManifestAsync(prepared.Index, tag);
        return prepared;
    }

    private static async Task PushManifestAsync(this HttpClient client, TestImage image, string? tag)
    {
        using var response = await client.PutManifestAsync(image.Repository, tag ?? image.Digest, image.Manifest, image.MediaType);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"manifest push to {image.Repository}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} response has no {name} header");

    public static string? HeaderOrNull(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
