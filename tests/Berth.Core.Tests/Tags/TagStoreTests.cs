using Berth.Core.Caching;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Tags;

public sealed class TagStoreTests : IDisposable
{
    private static readonly Names.RepositoryName App = CoreRegistry.Repository("app");
    private readonly CoreRegistry _registry = CoreRegistry.Create();

    public void Dispose() => _registry.Dispose();

    [Fact]
    public async Task A_repository_without_tags_lists_as_null()
    {
        Assert.Null(await _registry.Tags.ListAsync(App));
    }

    [Fact]
    public async Task Tags_are_listed_sorted_and_names_outside_the_tag_grammar_are_left_out()
    {
        var (digest, _) = await _registry.PushImageAsync(App, "v2");
        await _registry.Writer.TagAsync(App, "V1", digest);
        await _registry.Writer.TagAsync(App, "latest", digest);
        Directory.CreateDirectory(_registry.FileOf(RegistryPaths.Tags(App) + "/-not-a-tag"));
        _registry.Time.Advance(CacheKeys.TagListTimeToLive);

        Assert.Equal(["V1", "latest", "v2"], await _registry.Tags.ListAsync(App));
    }

    [Fact]
    public async Task A_tag_this_instance_writes_is_listed_at_once()
    {
        var (digest, _) = await _registry.PushImageAsync(App, "v1");
        Assert.Equal(["v1"], await _registry.Tags.ListAsync(App));

        await _registry.Writer.TagAsync(App, "v2", digest);

        Assert.Equal(["v1", "v2"], await _registry.Tags.ListAsync(App));
    }

    [Fact]
    public async Task A_tag_another_instance_writes_is_listed_after_the_time_to_live()
    {
        using var replica = _registry.Replica();
        var (digest, _) = await _registry.PushImageAsync(App, "v1");
        Assert.Equal(["v1"], await _registry.Tags.ListAsync(App));

        await replica.Writer.TagAsync(App, "v2", digest);

        Assert.Equal(["v1"], await _registry.Tags.ListAsync(App));
        _registry.Time.Advance(CacheKeys.TagListTimeToLive);
        Assert.Equal(["v1", "v2"], await _registry.Tags.ListAsync(App));
    }

    [Fact]
    public async Task A_tag_another_instance_deletes_leaves_the_list_after_the_time_to_live()
    {
        using var replica = _registry.Replica();
        await _registry.PushImageAsync(App, "v1");
        await _registry.PushImageAsync(App, "v2", "other layer");
        Assert.Equal(["v1", "v2"], await _registry.Tags.ListAsync(App));

        Assert.True(await replica.Writer.DeleteTagAsync(App, "v1"));

        _registry.Time.Advance(CacheKeys.TagListTimeToLive);
        Assert.Equal(["v2"], await _registry.Tags.ListAsync(App));
    }

    [Fact]
    public async Task Find_returns_the_tags_whose_current_link_points_to_a_digest()
    {
        var (first, _) = await _registry.PushImageAsync(App, "a", "first");
        await _registry.Writer.TagAsync(App, "b", first);
        var (second, _) = await _registry.PushImageAsync(App, "c", "second");

        Assert.Equal(["a", "b"], await _registry.Tags.FindAsync(App, first));
        Assert.Equal(["c"], await _registry.Tags.FindAsync(App, second));
        Assert.Empty(await _registry.Tags.FindAsync(CoreRegistry.Repository("empty"), first));
    }
}
