using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>
/// Issue 8, finding 12: an upload session belongs to whoever opened it. Another user with push rights on the same
/// repository who learns the id (it is in URLs and logs) can neither finish, feed, inspect nor cancel it.
/// </summary>
public sealed class UploadOwnershipTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("berth-upload-owner");
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-secret-1"), ("bob", "bob-secret-1"));
        _registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {htpasswd}
            """);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Another_user_cannot_touch_a_session_and_its_opener_finishes_it()
    {
        using var alice = Client("alice", "alice-secret-1");
        using var bob = Client("bob", "bob-secret-1");
        var content = RandomNumberGenerator.GetBytes(100);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        using var started = await alice.PostAsync("v2/shared/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = new Uri(_registry.BaseAddress, started.Headers.Location!);
        var complete = new Uri(location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + digest);

        using (var status = await bob.GetAsync(location))
        using (var patch = await bob.PatchAsync(location, new ByteArrayContent(content)))
        using (var put = await bob.PutAsync(complete, new ByteArrayContent(content)))
        using (var cancel = await bob.DeleteAsync(location))
        {
            await ErrorBody.AssertAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
            await ErrorBody.AssertAsync(patch, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
            await ErrorBody.AssertAsync(put, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
            await ErrorBody.AssertAsync(cancel, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        }

        using var head = await bob.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/shared/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var finished = await alice.PutAsync(complete, new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Created, finished.StatusCode);
    }

    private HttpClient Client(string user, string password)
    {
        var client = _registry.Client();
        client.DefaultRequestHeaders.Authorization = AuthRegistry.Basic(user, password);
        return client;
    }
}
