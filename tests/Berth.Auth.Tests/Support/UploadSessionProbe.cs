using System.Net;
using System.Security.Cryptography;

namespace Berth.Auth.Tests.Support;

/// <summary>One session opened by <c>opener</c>; every upload verb of <c>intruder</c> on it must find nothing.</summary>
internal static class UploadSessionProbe
{
    public static async Task AssertOnlyTheOpenerCanUseAsync(Uri baseAddress, HttpClient opener, HttpClient intruder, string repository)
    {
        var content = RandomNumberGenerator.GetBytes(100);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        using var started = await opener.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = new Uri(baseAddress, started.Headers.Location!);
        var complete = new Uri(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + digest);

        using (var status = await intruder.GetAsync(location))
        using (var patch = await intruder.PatchAsync(location, new ByteArrayContent(content)))
        using (var put = await intruder.PutAsync(complete, new ByteArrayContent(content)))
        using (var cancel = await intruder.DeleteAsync(location))
        {
            await ErrorBody.AssertAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
            await ErrorBody.AssertAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
            await ErrorBody.AssertAsync(put, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
            await ErrorBody.AssertAsync(cancel, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using var head = await intruder.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var finished = await opener.PutAsync(complete, new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Created, finished.StatusCode);
    }
}
