using System.Collections.Concurrent;
using Berth.Core.Events;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Storage;
using Berth.Core.Tags;

namespace Berth.Core.Browsing;

/// <summary>
/// The UI's index: each repository's tags with push time (the current link's modification time in storage) and
/// image summary, read from storage on first use and dropped when an event says the repository changed. Storage
/// stays the source of truth: a lost entry is read again, and an entry older than <see cref="TimeToLive"/> is read
/// again (in the background, the old view answering meanwhile) so that writes by other instances sharing the store
/// show up.
/// </summary>
public sealed class RepositoryIndex(IStorageDriver driver, TagStore tags, ImageSummaryReader images, RepositoryCatalog catalog, TimeProvider time)
    : IRegistryEventHandler
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);

    private const int ParallelReads = 16;

    private readonly ConcurrentDictionary<string, Task<RepositoryView>> _views = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refreshing = new(StringComparer.Ordinal);

    /// <summary>Every repository name in the store, sorted ordinally.</summary>
    public Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken = default) =>
        catalog.ListAsync(int.MaxValue, null, cancellationToken);

    public async Task<IReadOnlyList<TagEntry>> GetTagsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        (await GetViewAsync(repository, cancellationToken)).Tags;

    public async Task<RepositorySummary> GetSummaryAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        (await GetViewAsync(repository, cancellationToken)).Summary;

    /// <summary>Summaries of many repositories, read in parallel (bounded).</summary>
    public async Task<IReadOnlyList<RepositorySummary>> GetSummariesAsync(IReadOnlyList<RepositoryName> repositories, CancellationToken cancellationToken = default)
    {
        var result = new RepositorySummary[repositories.Count];
        await Parallel.ForAsync(0, repositories.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, token) => result[i] = await GetSummaryAsync(repositories[i], token));
        return result;
    }

    public ValueTask HandleAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        if (registryEvent is TagMoved or TagDeleted or ManifestDeleted or ManifestPushed)
        {
            Forget(registryEvent.Repository);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Drops what is known of a repository; the next request reads it from storage.</summary>
    public void Forget(RepositoryName repository) => _views.TryRemove(repository.Value, out _);

    private async Task<RepositoryView> GetViewAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_views.TryGetValue(repository.Value, out var known))
        {
            if (!known.IsCompleted)
            {
                return await known.WaitAsync(cancellationToken);
            }

            if (known.IsCompletedSuccessfully)
            {
                // Local writes arrive as events; the time to live is for writes by other instances, so an old view is
                // answered at once while a fresh one is read behind it.
                if (time.GetElapsedTime(known.Result.ReadAt, now) >= TimeToLive)
                {
                    Refresh(repository, known, now);
                }

                return known.Result;
            }

            _views.TryRemove(new KeyValuePair<string, Task<RepositoryView>>(repository.Value, known));
        }

        // One read per repository at a time; the read is not tied to the first caller's cancellation.
        var read = _views.GetOrAdd(repository.Value, _ => ReadAsync(repository, now));
        try
        {
            return await read.WaitAsync(cancellationToken);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            _views.TryRemove(new KeyValuePair<string, Task<RepositoryView>>(repository.Value, read));
            throw;
        }
    }

    private void Refresh(RepositoryName repository, Task<RepositoryView> stale, long now)
    {
        if (!_refreshing.TryAdd(repository.Value, 0))
        {
            return;
        }

        _ = ReadAsync(repository, now).ContinueWith(
            fresh =>
            {
                // Replaces only the view it was started from: an event that dropped it meanwhile wins.
                if (fresh.IsCompletedSuccessfully)
                {
                    _views.TryUpdate(repository.Value, fresh, stale);
                }

                _refreshing.TryRemove(repository.Value, out _);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task<RepositoryView> ReadAsync(RepositoryName repository, long readAt)
    {
        await Task.Yield();
        var names = await tags.ListAsync(repository, CancellationToken.None) ?? [];
        var entries = new TagEntry?[names.Count];
        await Parallel.ForAsync(0, names.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads },
            async (i, token) => entries[i] = await ReadTagAsync(repository, names[i], token));

        var found = entries.OfType<TagEntry>().ToList();
        var size = found.DistinctBy(t => t.Image.Digest).Sum(t => t.Image.Size);
        DateTimeOffset? lastPush = found.Count == 0 ? null : found.Max(t => t.Pushed);
        return new RepositoryView(found, new RepositorySummary(repository.Value, found.Count, size, lastPush), readAt);
    }

    private async Task<TagEntry?> ReadTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        var path = RegistryPaths.TagCurrentLink(repository, tag);
        var stat = await driver.StatAsync(path, cancellationToken);
        if (stat is null || await tags.ResolveAsync(repository, tag, cancellationToken) is not { } digest)
        {
            return null;
        }

        var image = await images.GetAsync(repository, digest, cancellationToken);
        return image is null ? null : new TagEntry(tag, stat.LastModified, image);
    }
}
