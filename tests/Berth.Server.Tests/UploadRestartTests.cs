using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>Upload state lives in storage, not in the process: a session outlives the registry that started it.</summary>
public sealed class UploadRestartTests
{
    [Fact]
    public async Task Upload_started_before_a_restart_completes_after_it()
    {
        using var store = new TemporaryStore();
        var repository = Names.Repository();
        var content = Digests.RandomBytes(50_000);
        var digest = Digests.Sha256(content);
        string path;
        await using (var before = await RegistryFixture.StartAsync(store: store))
        {
            using var session = await before.Client.StartUploadAsync(repository);
            using var first = await before.Client.PatchChunkAsync(before.Client.LocationOf(session), content[..20_000], 0);
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            path = before.Client.LocationOf(first).PathAndQuery;
        }

        await using var after = await RegistryFixture.StartAsync(store: store);
        var location = new Uri(after.BaseAddress, path);
        using var status = await after.Client.GetAsync(location);
        SessionAssert.HasSessionHeaders(status, HttpStatusCode.NoContent, 20_000);
        using var second = await after.Client.PatchChunkAsync(location, content[20_000..], 20_000);
        using var done = await after.Client.CompleteUploadAsync(after.Client.LocationOf(second), digest);
        using var blob = await after.Client.GetAsync($"v2/{repository}/blobs/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        Assert.Equal(content, await blob.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_resumed_after_a_restart_still_verifies_its_digest()
    {
        using var store = new TemporaryStore();
        var repository = Names.Repository();
        var content = Digests.RandomBytes(10_000);
        string path;
        await using (var before = await RegistryFixture.StartAsync(store: store))
        {
            using var session = await before.Client.StartUploadAsync(repository);
            using var first = await before.Client.PatchChunkAsync(before.Client.LocationOf(session), content[..4000], 0);
            path = before.Client.LocationOf(first).PathAndQuery;
        }

        await using var after = await RegistryFixture.StartAsync(store: store);
        var location = new Uri(after.BaseAddress, path);

        // The last byte differs from what the client claims to have sent.
        var tampered = content[4000..];
        tampered[^1] ^= 0xff;
        using var done = await after.Client.CompleteUploadAsync(location, Digests.Sha256(content), tampered);
        using var blob = await after.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{Digests.Sha256(content)}"));

        await ErrorAssert.HasErrorAsync(done, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        Assert.Equal(HttpStatusCode.NotFound, blob.StatusCode);
    }
}
