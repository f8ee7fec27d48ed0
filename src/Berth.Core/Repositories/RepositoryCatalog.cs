using Berth.Core.Caching;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Repositories;

/// <summary>
/// Lists repositories as registry:2's catalog does: a directory under <c>repositories/</c> that holds
/// <c>_manifests</c> or <c>_layers</c> is a repository; directories whose names start with '_' are never descended.
/// </summary>
/// <remarks>
/// Walking the tree costs one listing per directory, which on remote storage is a round trip each (20 s for 1,000
/// repositories on a loaded Azurite), so the sorted list is a snapshot in the cache, served stale while it is
/// refreshed: once it is older than <see cref="CacheKeys.CatalogTimeToLive"/> the next listing starts one walk in the
/// background and answers from the snapshot at once. Repositories this instance creates join the snapshot at once
/// (also while a walk runs); those created or removed by another instance show within the time to live plus one walk.
/// Only a cold start (or a snapshot older than <see cref="CacheKeys.CatalogSnapshotLifetime"/>) waits for a walk.
/// </remarks>
public sealed class RepositoryCatalog(IStorageDriver driver, IRegistryCache cache)
{
    private const int ParallelListings = 16;
    private static readonly string[] RepositoryMarkers = ["_manifests", "_layers"];
    private readonly Lock _snapshotLock = new();
    private Task<SortedSet<string>>? _walk;
    private List<string>? _joinedDuringWalk;

    /// <summary>Up to <paramref name="limit"/> repository names after <paramref name="last"/>, in lexical order.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(int limit, string? last, CancellationToken cancellationToken = default)
    {
        if (!cache.TryGetFact<SortedSet<string>>(CacheKeys.Catalog, out var names))
        {
            names = await WalkOnceAsync().WaitAsync(cancellationToken);
        }
        else if (!cache.TryGetFact<bool>(CacheKeys.CatalogFresh, out _))
        {
            // Stale: refresh behind this answer. A failed walk leaves the freshness mark unset, so the next listing tries again.
            _ = WalkOnceAsync();
        }

        lock (_snapshotLock)
        {
            return names.Where(n => last is null || string.CompareOrdinal(n, last) > 0).Take(limit).ToList();
        }
    }

    /// <summary>Called when this instance writes a repository's first link, so the catalog shows it at once.</summary>
    internal void Remember(RepositoryName repository)
    {
        lock (_snapshotLock)
        {
            // A walk under way may already have passed this repository's directory.
            _joinedDuringWalk?.Add(repository.Value);
            if (cache.TryGetFact<SortedSet<string>>(CacheKeys.Catalog, out var names))
            {
                names.Add(repository.Value);
            }
        }
    }

    /// <summary>One walk at a time: concurrent cold listings and background refreshes share it.</summary>
    private Task<SortedSet<string>> WalkOnceAsync()
    {
        lock (_snapshotLock)
        {
            if (_walk is null)
            {
                _joinedDuringWalk = [];
                _walk = WalkAndPublishAsync();
            }

            return _walk;
        }
    }

    private async Task<SortedSet<string>> WalkAndPublishAsync()
    {
        try
        {
            // Off the caller's flow: a background refresh must not run on (or be cancelled with) the request that started it.
            await Task.Yield();
            var names = new SortedSet<string>(await FindAsync(RepositoryMarkers, CancellationToken.None), StringComparer.Ordinal);
            lock (_snapshotLock)
            {
                names.UnionWith(_joinedDuringWalk ?? []);
                cache.SetFact(CacheKeys.Catalog, names, CacheKeys.CatalogSnapshotLifetime);
                cache.SetFact(CacheKeys.CatalogFresh, true, CacheKeys.CatalogTimeToLive);
            }

            return names;
        }
        finally
        {
            lock (_snapshotLock)
            {
                _walk = null;
                _joinedDuringWalk = null;
            }
        }
    }

    public async Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        await driver.StatAsync(RegistryPaths.Repository(repository), cancellationToken) is { IsDirectory: true };

    /// <summary>
    /// Every repository directory that holds one of <paramref name="markers"/>, sorted; the upload purger asks for
    /// <c>_uploads</c> so that a first push that died, with nothing but an upload, is found too.
    /// </summary>
    public async Task<List<string>> FindAsync(string[] markers, CancellationToken cancellationToken = default)
    {
        var found = new List<string>();
        using var throttle = new SemaphoreSlim(ParallelListings);
        await WalkAsync(RegistryPaths.RepositoriesRoot, string.Empty, markers, found, throttle, cancellationToken);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private async Task WalkAsync(string path, string name, string[] markers, List<string> found, SemaphoreSlim throttle, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? children;
        await throttle.WaitAsync(cancellationToken);
        try
        {
            children = await driver.ListAsync(path, cancellationToken);
        }
        finally
        {
            throttle.Release();
        }

        if (children is null)
        {
            return;
        }

        if (name.Length > 0 && children.Any(markers.Contains) && RepositoryName.TryParse(name, out _))
        {
            lock (found)
            {
                found.Add(name);
            }
        }

        // Siblings are listed concurrently: on remote storage the walk costs the tree's depth in round trips, not its size.
        await Task.WhenAll(children
            .Where(child => !child.StartsWith('_'))
            .Select(child => WalkAsync($"{path}/{child}", name.Length == 0 ? child : $"{name}/{child}", markers, found, throttle, cancellationToken)));
    }
}
