using System.Collections.Concurrent;
using Berth.Core.Configuration;
using Berth.Core.Digests;
using Berth.Core.Storage;

namespace Berth.Core.Collection;

/// <summary>
/// Keeps a collector from deleting a blob at the moment a push comes to rely on it, without a global lock: a push
/// holds the digests it checks and links (<see cref="ReferenceAsync"/>) from the existence check to the write, and a
/// collector holds one digest from its last re-check to the delete. Holds on different digests never wait for each
/// other, so requests keep their latency while a collection sweeps.
/// </summary>
/// <remarks>
/// Two records make the collector's re-check sound. Within this process, every hold released while a collection
/// runs is recorded, so the collector skips a digest referenced after it began marking (even with a zero grace
/// period). In storage, a referenced blob is touched (its modification time moves to now, at most once per quarter
/// grace period), so a collector in another process or instance keeps it for the grace period.
/// </remarks>
public sealed class ReferenceGuard(IStorageDriver driver, BlobQuarantine quarantine, GarbageCollectionOptions options, TimeProvider time)
{
    private const int StripeCount = 1024;
    private const int MaxRememberedTouches = 100_000;

    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly ConcurrentDictionary<Digest, long> _referencedAt = new();
    private readonly ConcurrentDictionary<Digest, DateTimeOffset> _touchedAt = new();
    private readonly Lock _gate = new();
    private long _sequence;
    private int _activeCollections;

    /// <summary>
    /// Holds <paramref name="digests"/> for a push that is about to check they exist and write something that
    /// references them: quarantined data is restored and the blobs are touched first, in order, stopping at the first
    /// one the store does not have (the push fails on it, so a manifest naming thousands of absent blobs costs no more
    /// than its existence check). Dispose after the write.
    /// </summary>
    public Task<ReferenceHold> ReferenceAsync(IEnumerable<Digest> digests, CancellationToken cancellationToken = default) =>
        HoldAsync([.. digests.Distinct()], written: null, cancellationToken);

    /// <summary>
    /// As <see cref="ReferenceAsync"/>, and holds <paramref name="written"/> too: data the push writes itself unless
    /// the store has it. That one is restored from quarantine but not touched here, since touching a new blob is a
    /// wasted round trip (a 404; a request on Azure): the writer calls <see cref="KeepStoredAsync"/> when it finds
    /// the data already stored.
    /// </summary>
    public Task<ReferenceHold> ReferenceForWriteAsync(IEnumerable<Digest> referenced, Digest written, CancellationToken cancellationToken = default) =>
        HoldAsync([.. referenced.Where(d => !d.Equals(written)).Distinct()], written, cancellationToken);

    /// <summary>
    /// For a writer under a hold that found the data it was about to write already stored: touches it as a reference
    /// would (at most once per quarter grace period), so a collector in another process keeps it. False when the data
    /// is gone since the writer looked: write it then.
    /// </summary>
    public async Task<bool> KeepStoredAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (options.GracePeriod <= TimeSpan.Zero)
        {
            return true;
        }

        var now = time.GetUtcNow();
        if (_touchedAt.TryGetValue(digest, out var touched) && now - touched < options.GracePeriod / 4)
        {
            return true;
        }

        if (!await driver.TouchAsync(RegistryPaths.BlobData(digest), cancellationToken))
        {
            return false;
        }

        if (_touchedAt.Count >= MaxRememberedTouches)
        {
            _touchedAt.Clear();
        }

        _touchedAt[digest] = now;
        return true;
    }

    /// <summary>Holds one digest for a collector's re-check and delete; nothing is recorded on release.</summary>
    internal Task<ReferenceHold> HoldForCollectionAsync(Digest digest, CancellationToken cancellationToken) =>
        LockAsync([digest], record: false, cancellationToken);

    internal CollectionEpoch BeginCollection()
    {
        lock (_gate)
        {
            _activeCollections++;
            return new CollectionEpoch(Interlocked.Increment(ref _sequence));
        }
    }

    internal void EndCollection()
    {
        lock (_gate)
        {
            if (--_activeCollections == 0)
            {
                _referencedAt.Clear();
            }
        }
    }

    /// <summary>True when a push held the digest and let go of it after <paramref name="epoch"/> began.</summary>
    internal bool ReferencedSince(Digest digest, CollectionEpoch epoch) =>
        _referencedAt.TryGetValue(digest, out var sequence) && sequence > epoch.Sequence;

    /// <summary>
    /// The data was just written, so its modification time is fresh: the next references within a quarter grace
    /// period need not touch it (on Azure a touch is a request per blob).
    /// </summary>
    public void NoteWritten(Digest digest)
    {
        if (options.GracePeriod > TimeSpan.Zero)
        {
            _touchedAt[digest] = time.GetUtcNow();
        }
    }

    /// <summary>The data is gone, so the next reference must touch it again if it comes back.</summary>
    internal void Forget(Digest digest) => _touchedAt.TryRemove(digest, out _);

    internal void Release(SemaphoreSlim[] stripes, Digest[] digests, bool record)
    {
        // Recorded after the write and before the locks open: a collector that re-checks under the lock sees it, and
        // a write that finished before a collection began is in the store for that collection's mark to find.
        if (record && Volatile.Read(ref _activeCollections) > 0)
        {
            foreach (var digest in digests)
            {
                _referencedAt[digest] = Interlocked.Increment(ref _sequence);
            }
        }

        for (var i = stripes.Length - 1; i >= 0; i--)
        {
            stripes[i].Release();
        }
    }

    private async Task<ReferenceHold> HoldAsync(Digest[] referenced, Digest? written, CancellationToken cancellationToken)
    {
        var hold = await LockAsync(written is { } data ? [.. referenced, data] : referenced, record: true, cancellationToken);
        try
        {
            foreach (var digest in referenced)
            {
                if (!await PrepareAsync(digest, cancellationToken))
                {
                    return hold;
                }
            }

            if (written is { } restorable)
            {
                await TryRestoreAsync(restorable, cancellationToken);
            }
        }
        catch
        {
            await hold.DisposeAsync();
            throw;
        }

        return hold;
    }

    private async Task<ReferenceHold> LockAsync(Digest[] digests, bool record, CancellationToken cancellationToken)
    {
        // Always in ascending stripe order, so two holds over overlapping digests cannot deadlock.
        var stripes = digests.Select(StripeOf).Distinct().Order().Select(i => _stripes[i]).ToArray();
        var taken = 0;
        try
        {
            for (; taken < stripes.Length; taken++)
            {
                await stripes[taken].WaitAsync(cancellationToken);
            }
        }
        catch
        {
            for (var i = taken - 1; i >= 0; i--)
            {
                stripes[i].Release();
            }

            throw;
        }

        return new ReferenceHold(this, stripes, digests, record);
    }

    /// <summary>Restores and touches one blob; false when the store turned out not to have it.</summary>
    private async Task<bool> PrepareAsync(Digest digest, CancellationToken cancellationToken) =>
        await TryRestoreAsync(digest, cancellationToken) || await KeepStoredAsync(digest, cancellationToken);

    private async Task<bool> TryRestoreAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (options.Quarantine > TimeSpan.Zero && await quarantine.TryRestoreAsync(digest, cancellationToken))
        {
            _touchedAt[digest] = time.GetUtcNow();
            return true;
        }

        return false;
    }

    private static int StripeOf(Digest digest) => (int)((uint)digest.GetHashCode() % StripeCount);
}
