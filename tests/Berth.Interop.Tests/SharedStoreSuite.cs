using System.Net;
using System.Security.Cryptography;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// Two berth processes on one store, as behind a load balancer: nothing a request needs lives in one process's
/// memory. An upload started on one instance finishes on the other; an image pushed to one is pulled from the other;
/// a tag moved on one is seen by the other within the link cache's time to live.
/// </summary>
public abstract class SharedStoreSuite : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private RegistryProcess _first = null!;
    private RegistryProcess _second = null!;

    public async Task InitializeAsync() => (_first, _second) = await StartTwoAsync(_temp);

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _temp.Dispose();
    }

    private protected abstract Task<(RegistryProcess First, RegistryProcess Second)> StartTwoAsync(TempDirectory temp);

    [Fact]
    public async Task Upload_started_on_one_instance_is_finished_on_the_other()
    {
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var digest = OciLayout.Sha256(content);
        using var first = new HttpClient { BaseAddress = _first.BaseUri };
        using var second = new HttpClient { BaseAddress = _second.BaseUri };

        using var start = await first.PostAsync("v2/shared/upload/blobs/uploads/", null);
        // The second instance is sent the path alone: its own host, the first instance's upload.
        var path = new Uri(start.Headers.Location!.IsAbsoluteUri ? start.Headers.Location.PathAndQuery : start.Headers.Location.ToString(), UriKind.Relative);
        using var chunk = await BlobUploadRequests.PatchAsync(first, path, content.AsMemory(0, 1024 * 1024), 0);
        Assert.Equal(HttpStatusCode.Accepted, chunk.StatusCode);

        using var rest = await BlobUploadRequests.PatchAsync(second, path, content.AsMemory(1024 * 1024), 1024 * 1024);
        Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        using var complete = await BlobUploadRequests.CompleteAsync(second, path, digest);
        Assert.Equal(HttpStatusCode.Created, complete.StatusCode);

        Assert.Equal(content, await first.GetByteArrayAsync($"v2/shared/upload/blobs/{digest}"));
    }

    [Fact]
    public async Task Image_pushed_to_one_instance_is_pulled_from_the_other_and_a_moved_tag_is_seen_by_both()
    {
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("one", 2, 100_000, seed: 61);
        var secondDigest = source.AddImage("two", 2, 100_000, seed: 62);

        await Skopeo.CopyAsync(source.Reference("one"), $"docker://{_first.Host}/shared/app:latest");
        await Skopeo.CopyAsync($"docker://{_second.Host}/shared/app:latest", $"oci:{_temp.Combine("back")}:one");

        // Both instances have read the tag; moving it on the second must reach the first within the cache's life.
        await Skopeo.CopyAsync(source.Reference("two"), $"docker://{_second.Host}/shared/app:latest");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string seen;
        do
        {
            seen = OciLayout.Sha256(System.Text.Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"docker://{_first.Host}/shared/app:latest")));
        }
        while (seen != secondDigest && DateTime.UtcNow < deadline);

        Assert.Equal(secondDigest, seen);
    }

}

/// <summary>Two instances on one filesystem root.</summary>
public sealed class SharedFilesystemStoreTests : SharedStoreSuite
{
    private protected override async Task<(RegistryProcess First, RegistryProcess Second)> StartTwoAsync(TempDirectory temp) =>
        (await RegistryProcess.StartBerthOnDiskAsync(temp), await RegistryProcess.StartBerthOnDiskAsync(temp));
}
