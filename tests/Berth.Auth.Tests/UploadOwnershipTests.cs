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
        await UploadSessionProbe.AssertOnlyTheOpenerCanUseAsync(_registry.BaseAddress, alice, bob, "shared/app");
    }

    private HttpClient Client(string user, string password)
    {
        var client = _registry.Client();
        client.DefaultRequestHeaders.Authorization = AuthRegistry.Basic(user, password);
        return client;
    }
}
