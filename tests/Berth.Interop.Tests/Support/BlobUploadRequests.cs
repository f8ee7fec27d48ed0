using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Berth.Interop.Tests.Support;

/// <summary>The distribution-spec blob upload requests, sent one by one, for tests that need to act between chunks.</summary>
internal static class BlobUploadRequests
{
    public static async Task<Uri> StartAsync(HttpClient client, string repository)
    {
        using var response = await client.PostAsync($"v2/{repository}/blobs/uploads/", content: null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!;
    }

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, Uri location, ReadOnlyMemory<byte> chunk, long offset)
    {
        var content = new ReadOnlyMemoryContent(chunk);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + chunk.Length - 1}");
        return client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, location) { Content = content });
    }

    public static Task<HttpResponseMessage> CompleteAsync(HttpClient client, Uri location, string digest) =>
        client.PutAsync(WithDigest(location, digest), content: null);

    /// <summary>The upload URL with <c>digest=</c> added, keeping any query the registry put there.</summary>
    public static Uri WithDigest(Uri location, string digest) =>
        new(location.OriginalString + (location.OriginalString.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + digest, UriKind.RelativeOrAbsolute);

    public static Task<HttpResponseMessage> HeadBlobAsync(HttpClient client, string repository, string digest) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"));

    /// <summary>Streams the blob (following a redirect to storage) and hashes it while reading; never holds it whole.</summary>
    public static async Task<(string Digest, long Length)> PullDigestAsync(HttpClient client, string repository, string digest)
    {
        using var response = await client.GetAsync($"v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return ("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }
}
