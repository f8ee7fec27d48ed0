using Berth.Core.Caching;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Storage;

public sealed class LinkStoreTests : IDisposable
{
    private static readonly Names.RepositoryName App = CoreRegistry.Repository("app");
    private readonly CoreRegistry _registry = CoreRegistry.Create();

    public void Dispose() => _registry.Dispose();

    [Fact]
    public async Task A_link_read_is_cached_for_its_time_to_live_and_then_read_again()
    {
        var (first, _) = await _registry.PushImageAsync(App, "v1", "first");
        var (second, _) = await _registry.PushImageAsync(App, tag: null, "second");
        var current = _registry.FileOf(RegistryPaths.TagCurrentLink(App, "v1"));
        Assert.Equal(first, await _registry.Links.ReadAsync(RegistryPaths.TagCurrentLink(App, "v1")));

        // Another instance moves the tag behind this one's cache.
        await File.WriteAllTextAsync(current, second.Value);

        Assert.Equal(first, await _registry.Links.ReadAsync(RegistryPaths.TagCurrentLink(App, "v1")));
        _registry.Time.Advance(CacheKeys.LinkTimeToLive);
        Assert.Equal(second, await _registry.Links.ReadAsync(RegistryPaths.TagCurrentLink(App, "v1")));
    }

    [Fact]
    public async Task This_instances_writes_are_seen_at_once()
    {
        var (first, _) = await _registry.PushImageAsync(App, "v1", "first");
        var (second, _) = await _registry.PushImageAsync(App, tag: null, "second");
        Assert.Equal(first, await _registry.Tags.ResolveAsync(App, "v1"));

        await _registry.Writer.TagAsync(App, "v1", second);

        Assert.Equal(second, await _registry.Tags.ResolveAsync(App, "v1"));
    }

    [Fact]
    public async Task This_instances_deletes_are_seen_at_once()
    {
        await _registry.PushImageAsync(App, "v1");
        Assert.NotNull(await _registry.Tags.ResolveAsync(App, "v1"));

        Assert.True(await _registry.Writer.DeleteTagAsync(App, "v1"));

        Assert.Null(await _registry.Tags.ResolveAsync(App, "v1"));
        Assert.Null(await _registry.Links.ReadAsync(RegistryPaths.TagIndexLink(App, "v1", CoreRegistry.DigestOf("x"u8.ToArray()))));
    }

    [Fact]
    public async Task A_missing_link_is_not_cached_so_another_instances_write_is_seen_on_the_next_read()
    {
        using var replica = _registry.Replica();
        Assert.Null(await _registry.Tags.ResolveAsync(App, "v1"));

        var (digest, _) = await replica.PushImageAsync(App, "v1");

        Assert.Equal(digest, await _registry.Tags.ResolveAsync(App, "v1"));
    }

    [Fact]
    public async Task Another_instances_delete_is_seen_after_the_time_to_live()
    {
        using var replica = _registry.Replica();
        var (digest, _) = await _registry.PushImageAsync(App, "v1");
        Assert.Equal(digest, await _registry.Tags.ResolveAsync(App, "v1"));

        Assert.True(await replica.Writer.DeleteTagAsync(App, "v1"));

        _registry.Time.Advance(CacheKeys.LinkTimeToLive);
        Assert.Null(await _registry.Tags.ResolveAsync(App, "v1"));
    }

    [Fact]
    public async Task A_link_with_a_trailing_newline_written_by_hand_is_read()
    {
        var digest = CoreRegistry.DigestOf("x"u8.ToArray());
        var path = RegistryPaths.TagCurrentLink(App, "hand");
        Directory.CreateDirectory(Path.GetDirectoryName(_registry.FileOf(path))!);
        await File.WriteAllTextAsync(_registry.FileOf(path), digest.Value + "\n");

        Assert.Equal(digest, await _registry.Links.ReadAsync(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a digest")]
    [InlineData("sha256:ABC")]
    [InlineData("sha256:../../../../etc/passwd")]
    public async Task A_link_that_holds_no_valid_digest_reads_as_missing(string content)
    {
        var path = RegistryPaths.TagCurrentLink(App, "broken");
        Directory.CreateDirectory(Path.GetDirectoryName(_registry.FileOf(path))!);
        await File.WriteAllTextAsync(_registry.FileOf(path), content);

        Assert.Null(await _registry.Links.ReadAsync(path));
    }

    [Fact]
    public async Task Points_to_is_true_only_for_the_digest_the_link_holds()
    {
        var (digest, _) = await _registry.PushImageAsync(App, "v1");
        var path = RegistryPaths.TagCurrentLink(App, "v1");

        Assert.True(await _registry.Links.PointsToAsync(path, digest));
        Assert.False(await _registry.Links.PointsToAsync(path, CoreRegistry.DigestOf("other"u8.ToArray())));
        Assert.False(await _registry.Links.PointsToAsync(RegistryPaths.TagCurrentLink(App, "absent"), digest));
    }
}
