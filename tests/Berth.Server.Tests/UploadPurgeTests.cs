using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>registry:2's storage.maintenance.uploadpurging: abandoned sessions older than the age are removed.</summary>
public sealed class UploadPurgeTests
{
    /// <summary>The common abandoned upload: the first push to a new repository died before any blob landed.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Abandoned_upload_older_than_the_age_is_purged_and_a_recent_one_is_kept(bool repositoryHasContent)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var registry = await RegistryFixture.StartAsync(time: clock);
        var client = registry.Client;
        var repository = Names.Repository();
        if (repositoryHasContent)
        {
            await client.PushBlobAsync(repository, Digests.RandomBytes(10));
        }

        using var abandoned = await client.StartUploadAsync(repository);
        (await client.PatchChunkAsync(client.LocationOf(abandoned), Digests.RandomBytes(1000), 0)).Dispose();
        clock.Advance(TimeSpan.FromDays(8));
        using var recent = await client.StartUploadAsync(repository);

        var purged = await registry.Services.UploadPurger.PurgeAsync(TimeSpan.FromDays(7), dryRun: false);
        using var abandonedStatus = await client.GetAsync(client.LocationOf(abandoned));
        using var recentStatus = await client.GetAsync(client.LocationOf(recent));

        Assert.Equal([abandoned.Header("Docker-Upload-UUID")], purged);
        await ErrorAssert.HasErrorAsync(abandonedStatus, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        Assert.Equal(HttpStatusCode.NoContent, recentStatus.StatusCode);
        var uploads = await registry.Services.Driver.ListAsync($"/docker/registry/v2/repositories/{repository}/_uploads");
        Assert.Equal([recent.Header("Docker-Upload-UUID")], uploads!);
    }

    [Fact]
    public async Task Dry_run_purge_reports_the_abandoned_upload_but_keeps_it()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var registry = await RegistryFixture.StartAsync(time: clock);
        var client = registry.Client;
        var repository = Names.Repository();
        await client.PushBlobAsync(repository, Digests.RandomBytes(10));
        using var abandoned = await client.StartUploadAsync(repository);
        clock.Advance(TimeSpan.FromDays(8));

        var purged = await registry.Services.UploadPurger.PurgeAsync(TimeSpan.FromDays(7), dryRun: true);
        using var status = await client.GetAsync(client.LocationOf(abandoned));

        Assert.Equal([abandoned.Header("Docker-Upload-UUID")], purged);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
    }
}
