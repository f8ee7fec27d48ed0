using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>http.prefix: the API answers under the prefix only, and every URL it hands back carries the prefix.</summary>
public sealed class PrefixTests : IAsyncLifetime
{
    private RegistryFixture _registry = null!;

    public async Task InitializeAsync() => _registry = await RegistryFixture.StartAsync(new RegistrySettings { Prefix = "/registry/" });

    public Task DisposeAsync() => _registry.DisposeAsync().AsTask();

    [Fact]
    public async Task A_chunked_upload_under_the_prefix_follows_locations_that_keep_the_prefix()
    {
        var blob = new byte[10_000];
        Random.Shared.NextBytes(blob);

        using var start = await _registry.Client.StartUploadAsync("prefixed/app");
        Assert.StartsWith("/registry/v2/prefixed/app/blobs/uploads/", start.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        using var patch = await _registry.Client.PatchChunkAsync(_registry.Client.LocationOf(start), blob, 0);
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        Assert.StartsWith("/registry/v2/", patch.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        using var put = await _registry.Client.CompleteUploadAsync(_registry.Client.LocationOf(patch), Digests.Sha256(blob));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal($"/registry/v2/prefixed/app/blobs/{Digests.Sha256(blob)}", put.Headers.Location!.AbsolutePath);
        using var pull = await _registry.Client.GetAsync(put.Headers.Location);
        Assert.Equal(blob, await pull.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_API_is_not_served_outside_the_prefix_but_health_stays_at_the_root()
    {
        using var root = await _registry.Client.GetAsync("/v2/");
        using var prefixed = await _registry.Client.GetAsync("/registry/v2/");
        using var health = await _registry.Client.GetAsync("/debug/health");

        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal(HttpStatusCode.OK, prefixed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Pagination_links_carry_the_prefix()
    {
        await _registry.Client.PushImageAsync("prefixed/paged", "a");
        await _registry.Client.PushImageAsync("prefixed/paged", "b");

        using var page = await _registry.Client.GetAsync("v2/prefixed/paged/tags/list?n=1");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("</registry/v2/prefixed/paged/tags/list?", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }
}
