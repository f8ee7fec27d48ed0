using Berth.Core.Caching;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Storage;
using Berth.Core.Storage.Filesystem;
using Berth.Core.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Core.Tests.Repositories;

/// <summary>
/// The catalog answers from a snapshot and refreshes it behind the answer once it is stale, so a listing never waits
/// for a walk of the store except on a cold start; repositories written meanwhile by this or another instance show.
/// </summary>
public sealed class RepositoryCatalogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-catalog").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly RegistryCache _cache;
    private readonly HookedStorageDriver _driver;
    private readonly RepositoryCatalog _catalog;

    public RepositoryCatalogTests()
    {
        _driver = new HookedStorageDriver(new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = _root }));
        _cache = new RegistryCache(_time);
        _catalog = new RepositoryCatalog(_driver, _cache);
    }

    [Fact]
    public async Task A_stale_snapshot_answers_at_once_and_another_instances_repository_shows_after_the_background_walk()
    {
        CreateOnDisk("team/a");
        Assert.Equal(["team/a"], await _catalog.ListAsync(100, null));

        CreateOnDisk("team/b");
        Assert.Equal(["team/a"], await _catalog.ListAsync(100, null));

        _time.Advance(CacheKeys.CatalogTimeToLive + TimeSpan.FromSeconds(1));
        // Stale: this answer comes from the snapshot, the walk runs behind it.
        Assert.Equal(["team/a"], await _catalog.ListAsync(100, null));

        Assert.True(await EventuallyListsAsync("team/b"), "the background walk never published team/b");
        Assert.Equal(["team/a", "team/b"], await _catalog.ListAsync(100, null));
    }

    [Fact]
    public async Task A_repository_this_instance_creates_while_a_walk_runs_is_kept_when_the_walk_publishes()
    {
        CreateOnDisk("team/a");
        Assert.Equal(["team/a"], await _catalog.ListAsync(100, null));
        _time.Advance(CacheKeys.CatalogTimeToLive + TimeSpan.FromSeconds(1));

        // The push lands just as the refresh lists the top of the tree: the walk cannot see it, the snapshot must.
        _driver.Before((operation, path) => operation == "list" && path == RegistryPaths.RepositoriesRoot, () =>
        {
            Assert.True(RepositoryName.TryParse("team/pushed", out var pushed));
            _catalog.Remember(pushed);
            return Task.CompletedTask;
        });
        await _catalog.ListAsync(100, null);

        Assert.True(await EventuallyFreshAsync(), "the background walk never finished");
        Assert.True(_driver.Fired);
        Assert.Equal(["team/a", "team/pushed"], await _catalog.ListAsync(100, null));
    }

    [Fact]
    public async Task A_cold_listing_waits_for_the_walk_and_pages_after_the_last_name()
    {
        CreateOnDisk("a");
        CreateOnDisk("b/c");
        CreateOnDisk("d");

        Assert.Equal(["a", "b/c"], await _catalog.ListAsync(2, null));
        Assert.Equal(["d"], await _catalog.ListAsync(2, "b/c"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void CreateOnDisk(string repository) =>
        Directory.CreateDirectory(Path.Combine(_root, RegistryPaths.RepositoriesRoot.TrimStart('/'), repository, "_manifests", "tags"));

    private async Task<bool> EventuallyListsAsync(string repository)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if ((await _catalog.ListAsync(100, null)).Contains(repository))
            {
                return true;
            }

            await Task.Delay(25);
        }

        return false;
    }

    private async Task<bool> EventuallyFreshAsync()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_cache.TryGetFact<bool>(CacheKeys.CatalogFresh, out _))
            {
                return true;
            }

            await Task.Delay(25);
        }

        return false;
    }
}
