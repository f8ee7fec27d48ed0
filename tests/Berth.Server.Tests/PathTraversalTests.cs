using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>Nothing a client sends reaches a path outside the storage root, whatever the URL says.</summary>
public sealed class PathTraversalTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly string Hex = new('e', 64);

    public static TheoryData<string, string> Attempts => new()
    {
        { "POST", "/v2/../../outside/blobs/uploads/" },
        { "POST", "/v2/a/../../../outside/blobs/uploads/" },
        { "POST", "/v2/a/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside/blobs/uploads/" },
        { "POST", "/v2/a/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/outside/blobs/uploads/" },
        { "POST", "/v2/a%2F..%2F..%2F..%2F..%2F..%2Foutside/blobs/uploads/" },
        { "POST", "/v2/..%5c..%5c..%5coutside/blobs/uploads/" },
        { "POST", "/v2/%2e%2e/blobs/uploads/" },
        { "PUT", "/v2/ok/manifests/..%2F..%2F..%2F..%2F..%2F..%2Foutside" },
        { "PUT", "/v2/ok/manifests/%2e%2e" },
        { "PUT", $"/v2/ok/manifests/sha256:..%2F..%2F..%2F..%2F..%2Foutside{Hex[..40]}" },
        { "GET", $"/v2/ok/blobs/sha256:..%2F..%2F..%2F..%2F..%2F{Hex[..50]}" },
        { "PATCH", "/v2/ok/blobs/uploads/..%2F..%2F..%2F..%2F..%2F..%2Foutside" },
        { "PUT", $"/v2/ok/blobs/uploads/%2e%2e?digest=sha256:{Hex}" },
        { "PATCH", "/v2/ok/blobs/uploads/..%5c..%5c..%5coutside" },
        { "DELETE", "/v2/ok/blobs/uploads/%2e%2e" },
        { "GET", "/v2/ok/referrers/..%2F..%2F..%2Foutside" },
        { "GET", "/v2/ok/tags/list?last=..%2F..%2F..%2Foutside" },
        { "GET", "/v2/_catalog?last=..%2F..%2F..%2Foutside" },
    };

    [Theory]
    [MemberData(nameof(Attempts))]
    public async Task Traversal_attempt_is_refused_and_writes_nothing_outside_the_root(string method, string target)
    {
        var response = await RawHttp.SendAsync(registry.BaseAddress, method, target, method is "PUT" or "PATCH" or "POST" ? "{\"x\":1}"u8.ToArray() : null);

        Assert.True(response.Status is >= 200 and < 500, $"{method} {target}: {response.Status} {response.Body}");
        Assert.Empty(registry.Store.EntriesOutsideRoot());
        Assert.False(Directory.Exists(Path.Combine(registry.Store.Parent, "outside")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(registry.Store.Root, "outside*", SearchOption.AllDirectories));
    }
}
