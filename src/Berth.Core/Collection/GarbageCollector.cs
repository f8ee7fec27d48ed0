using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Storage;
using Berth.Core.Tags;
using Berth.Core.Writes;

namespace Berth.Core.Collection;

/// <summary>
/// Mark and sweep on the registry:2 layout of any driver: registry:2's <c>garbage-collect</c> (same marks, same
/// output lines) and Berth's online collector, which runs the same passes while the registry serves.
/// Mark: every manifest revision of every repository (with <see cref="CollectionOptions.DeleteUntagged"/>, only those
/// reachable from a tag), its config and layers, an index's children, and the manifests whose subject is marked
/// (signatures, SBOMs). Sweep: every blob not marked.
/// </summary>
/// <remarks>
/// Safe beside concurrent pushes without a global lock. The collection's start time is read from the store's clock;
/// what was modified after start minus the grace period is kept (a touch is a modification, see
/// <see cref="ReferenceGuard"/>). Each delete re-checks under the digest's hold: a push in this process that
/// referenced the digest since the collection began keeps it, and the store deletes only if the object was not
/// touched since the cutoff (an Azure conditional request; a rename and re-read on disk). Unlike registry:2 2.8
/// (distribution#3178), the untagged children of a tagged index are reachable and kept with their layers.
/// </remarks>
public sealed class GarbageCollector(
    IStorageDriver driver, RepositoryCatalog catalog, RepositoryMarker marker, TagStore tags, Manifests.ManifestStore manifests, RegistryWriter writer,
    ReferenceGuard guard, BlobQuarantine quarantine)
{
    public async Task<CollectionSummary> CollectAsync(CollectionOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        var epoch = guard.BeginCollection();
        try
        {
            return await CollectCoreAsync(options, epoch, output, cancellationToken);
        }
        finally
        {
            guard.EndCollection();
        }
    }

    private async Task<CollectionSummary> CollectCoreAsync(CollectionOptions options, CollectionEpoch epoch, TextWriter output, CancellationToken cancellationToken)
    {
        // A dry run writes nothing, not even the epoch: it may look at a store it must not change.
        var startedAt = options.DryRun ? DateTimeOffset.UtcNow : await StoreNowAsync(cancellationToken);
        var cutoff = startedAt - options.GracePeriod;
        var marked = new HashSet<Digest>();
        var eligibleManifests = new List<(RepositoryName Repository, Digest Manifest)>();
        var childrenKept = new List<(string, Digest)>();
        var repositories = await catalog.FindAsync(["_manifests"], cancellationToken);
        foreach (var repositoryText in repositories)
        {
            if (!RepositoryName.TryParse(repositoryText, out var repository))
            {
                continue;
            }

            await output.WriteLineAsync(repository.Value);
            var reachable = await marker.MarkAsync(repository, options, cutoff, marked, output, childrenKept, cancellationToken);
            if (options.DeleteUntagged)
            {
                foreach (var revision in await marker.RevisionsAsync(repository, cancellationToken))
                {
                    if (!reachable.Contains(revision))
                    {
                        await output.WriteLineAsync($"manifest eligible for deletion: {revision}");
                        eligibleManifests.Add((repository, revision));
                    }
                }
            }
        }

        var keptByRecheck = 0;
        var manifestsDeleted = 0;
        if (!options.DryRun)
        {
            foreach (var (repository, manifest) in eligibleManifests)
            {
                if (await TryDeleteManifestAsync(repository, manifest, cutoff, epoch, cancellationToken))
                {
                    manifestsDeleted++;
                }
                else
                {
                    keptByRecheck++;
                    await marker.MarkKeptAsync(repository, manifest, marked, cancellationToken);
                }
            }
        }

        var eligibleBlobs = new List<(Digest Digest, long Size)>();
        var withinGrace = new List<Digest>();
        foreach (var blob in await AllBlobsAsync(cancellationToken))
        {
            if (marked.Contains(blob) || await driver.StatAsync(RegistryPaths.BlobData(blob), cancellationToken) is not { IsDirectory: false } data)
            {
                continue;
            }

            if (data.LastModified > cutoff)
            {
                withinGrace.Add(blob);
            }
            else
            {
                eligibleBlobs.Add((blob, data.Size));
            }
        }

        await output.WriteLineAsync($"\n{marked.Count} blobs marked, {eligibleBlobs.Count} blobs and {eligibleManifests.Count} manifests eligible for deletion");
        var blobsDeleted = 0;
        long bytesDeleted = 0;
        foreach (var (blob, size) in eligibleBlobs)
        {
            await output.WriteLineAsync($"blob eligible for deletion: {blob}");
            if (options.DryRun)
            {
                continue;
            }

            if (await TryDeleteBlobAsync(blob, options, cutoff, epoch, cancellationToken))
            {
                blobsDeleted++;
                bytesDeleted += size;
            }
            else
            {
                keptByRecheck++;
                await output.WriteLineAsync($"blob kept: referenced while the collection ran: {blob}");
            }
        }

        foreach (var blob in withinGrace)
        {
            await output.WriteLineAsync($"blob kept: modified within the grace period ({options.GracePeriod}): {blob}");
        }

        foreach (var (repository, child) in childrenKept)
        {
            await output.WriteLineAsync($"{repository}: kept untagged manifest {child}: a tagged index lists it (registry:2 2.8 would delete its blobs, distribution#3178)");
        }

        var purged = options.DryRun || options.Quarantine <= TimeSpan.Zero ? 0 : await PurgeQuarantineAsync(startedAt - options.Quarantine, marked, epoch, cancellationToken);
        var bytesEligible = eligibleBlobs.Sum(b => b.Size);
        await output.WriteLineAsync(
            $"berth: {repositories.Count} repositories, {marked.Count} blobs marked, {eligibleBlobs.Count} blobs ({bytesEligible} bytes) and {eligibleManifests.Count} manifests " +
            (options.DryRun
                ? "would be deleted (dry run: nothing was changed)"
                : $"eligible; {blobsDeleted} blobs ({bytesDeleted} bytes) and {manifestsDeleted} manifests {(options.Quarantine > TimeSpan.Zero ? "quarantined" : "deleted")}, " +
                  $"{keptByRecheck} kept because a push referenced them meanwhile, {withinGrace.Count} blobs within the grace period, {purged} purged from quarantine"));
        return new CollectionSummary(repositories.Count, marked.Count, [.. eligibleBlobs.Select(b => b.Digest)], bytesEligible, [.. eligibleManifests.Select(m => (m.Repository.Value, m.Manifest))], childrenKept)
        {
            BlobsDeleted = blobsDeleted,
            BytesDeleted = bytesDeleted,
            BlobsWithinGracePeriod = withinGrace.Count,
            KeptByRecheck = keptByRecheck,
            ManifestsDeleted = manifestsDeleted,
            QuarantinePurged = purged,
        };
    }

    private async Task<bool> TryDeleteManifestAsync(RepositoryName repository, Digest manifest, DateTimeOffset cutoff, CollectionEpoch epoch, CancellationToken cancellationToken)
    {
        // An index pushed after the mark may list this untagged manifest as a child: that push rewrites neither the
        // child's revision link nor a tag, but it holds the child and (in another instance, out of the guard's sight)
        // touches the child's data, so the data's time counts as a reference too.
        await using var hold = await guard.HoldForCollectionAsync(manifest, cancellationToken);
        if (guard.ReferencedSince(manifest, epoch) ||
            (await tags.FindAsync(repository, manifest, cancellationToken)).Count > 0 ||
            await marker.IsModifiedSinceAsync(RegistryPaths.ManifestRevisionLink(repository, manifest), cutoff, cancellationToken) ||
            await marker.IsModifiedSinceAsync(RegistryPaths.BlobData(manifest), cutoff, cancellationToken))
        {
            return false;
        }

        await manifests.DeleteAsync(repository, manifest, cancellationToken);
        return true;
    }

    private async Task<bool> TryDeleteBlobAsync(Digest blob, CollectionOptions options, DateTimeOffset cutoff, CollectionEpoch epoch, CancellationToken cancellationToken)
    {
        await using var hold = await guard.HoldForCollectionAsync(blob, cancellationToken);
        if (guard.ReferencedSince(blob, epoch))
        {
            return false;
        }

        var deleted = options.Quarantine > TimeSpan.Zero
            ? await writer.QuarantineBlobAsync(blob, cutoff, cancellationToken)
            : await writer.CollectBlobAsync(blob, cutoff, cancellationToken);
        if (deleted)
        {
            guard.Forget(blob);
        }

        return deleted;
    }

    private async Task<int> PurgeQuarantineAsync(DateTimeOffset cutoff, HashSet<Digest> marked, CollectionEpoch epoch, CancellationToken cancellationToken)
    {
        var purged = 0;
        foreach (var (digest, since, _) in await quarantine.ListAsync(cancellationToken))
        {
            if (marked.Contains(digest))
            {
                // A stored manifest references it: another instance stored that manifest in the moment the blob went
                // into quarantine (the move is not atomic with its time check across instances). Bring it back.
                await using var restoring = await guard.HoldForCollectionAsync(digest, cancellationToken);
                await quarantine.TryRestoreAsync(digest, cancellationToken);
                continue;
            }

            if (since > cutoff)
            {
                continue;
            }

            await using var hold = await guard.HoldForCollectionAsync(digest, cancellationToken);
            if (!guard.ReferencedSince(digest, epoch) && await quarantine.PurgeAsync(digest, cutoff, cancellationToken))
            {
                purged++;
            }
        }

        return purged;
    }

    /// <summary>
    /// Now by the store's clock (the modification time of a file written for the purpose), so grace periods compare
    /// times from one clock even when collector and registry run on different machines.
    /// </summary>
    private async Task<DateTimeOffset> StoreNowAsync(CancellationToken cancellationToken)
    {
        await driver.PutContentAsync(RegistryPaths.CollectionEpoch, "berth garbage collection epoch\n"u8.ToArray(), cancellationToken);
        return (await driver.StatAsync(RegistryPaths.CollectionEpoch, cancellationToken))?.LastModified
            ?? throw new InvalidOperationException("the store lost the collection's epoch file as it was written");
    }

    private async Task<List<Digest>> AllBlobsAsync(CancellationToken cancellationToken)
    {
        var result = new List<Digest>();
        foreach (var algorithm in await driver.ListAsync(RegistryPaths.BlobsRoot, cancellationToken) ?? [])
        {
            foreach (var prefix in await driver.ListAsync($"{RegistryPaths.BlobsRoot}/{algorithm}", cancellationToken) ?? [])
            {
                foreach (var encoded in await driver.ListAsync($"{RegistryPaths.BlobsRoot}/{algorithm}/{prefix}", cancellationToken) ?? [])
                {
                    if (Digest.TryParse($"{algorithm}:{encoded}", out var digest))
                    {
                        result.Add(digest);
                    }
                }
            }
        }

        return result;
    }
}
