using System.Text;
using Berth.Core.Collection;
using Berth.Core.Configuration;
using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Storage;
using Berth.Core.Writes;

namespace Berth.Core.Retention;

/// <summary>
/// Applies <c>retention.policies</c> to every repository: reads each one (<see cref="RepositorySnapshot"/>), lets
/// <see cref="RetentionPlanner"/> decide, and deletes through <see cref="RegistryWriter"/>, so caches and event
/// subscribers hear of it. It only unlinks tags and manifests; garbage collection frees their blobs.
/// </summary>
/// <remarks>
/// Safe beside a serving registry: each deletion first reads storage again and is skipped when the tag or manifest
/// changed since the snapshot (re-pushed, re-tagged), so a push racing with the pass is never undone.
/// </remarks>
public sealed class RetentionRunner(
    IStorageDriver driver, RepositoryCatalog catalog, ManifestStore manifests, RegistryWriter writer, RegistryConfiguration configuration, TimeProvider time, ReferenceGuard guard)
{
    public async Task<RetentionSummary> ApplyAsync(bool dryRun, TextWriter output, CancellationToken cancellationToken = default)
    {
        // Registered with the guard as a collection is, so every hold a push releases during the pass is recorded: an
        // index pushed meanwhile that lists an old untagged manifest changes none of the times the pass re-reads.
        var epoch = guard.BeginCollection();
        try
        {
            return await ApplyCoreAsync(dryRun, epoch, output, cancellationToken);
        }
        finally
        {
            guard.EndCollection();
        }
    }

    private async Task<RetentionSummary> ApplyCoreAsync(bool dryRun, CollectionEpoch epoch, TextWriter output, CancellationToken cancellationToken)
    {
        var options = configuration.Retention;
        var summary = new RetentionSummary { DryRun = dryRun };
        foreach (var name in await catalog.FindAsync(["_manifests"], cancellationToken))
        {
            summary.Repositories++;
            if (!RepositoryName.TryParse(name, out var repository) || options.PolicyFor(name) is not { } policy)
            {
                continue;
            }

            summary.Covered++;
            var snapshot = await ReadAsync(repository, policy.DeleteUntaggedAfter is not null, cancellationToken);
            var plan = RetentionPlanner.Plan(policy, options.Immutable, snapshot, time.GetUtcNow());

            // Tags first, then indexes and referrers before the manifests they list: a pass cut short never leaves
            // an index whose child is gone.
            var listed = plan.Where(d => d.Tag is null).SelectMany(d => snapshot.Revisions[d.Digest].References).ToHashSet();
            foreach (var deletion in plan.OrderBy(d => d.Tag is null).ThenBy(d => listed.Contains(d.Digest)))
            {
                var what = deletion.Tag is null ? $"manifest {deletion.Digest}" : $"tag {deletion.Tag} ({deletion.Digest})";
                if (dryRun)
                {
                    await output.WriteLineAsync($"{name}: would delete {what}: {deletion.Reason}");
                }
                else if (await DeleteAsync(repository, snapshot, deletion, epoch, cancellationToken))
                {
                    await output.WriteLineAsync($"{name}: deleting {what}: {deletion.Reason}");
                }
                else
                {
                    await output.WriteLineAsync($"{name}: kept {what}: it changed since the pass read it");
                    summary.Skipped++;
                    continue;
                }

                if (deletion.Tag is null)
                {
                    summary.Manifests++;
                }
                else
                {
                    summary.Tags++;
                }
            }

            if (!dryRun)
            {
                await RemoveStaleRecordsAsync(repository, cancellationToken);
            }
        }

        await output.WriteLineAsync(summary.ToString());
        return summary;
    }

    private async Task<bool> DeleteAsync(RepositoryName repository, RepositorySnapshot snapshot, RetentionDeletion deletion, CollectionEpoch epoch, CancellationToken cancellationToken)
    {
        if (deletion.Tag is { } tag)
        {
            var before = snapshot.Tags.Single(t => t.Name == tag);
            return await writer.DeleteTagIfAsync(repository, tag, async ct => await ReadTagAsync(repository, tag, ct) == before, cancellationToken);
        }

        // Held like a garbage collector's delete: a push of this manifest finishes its write before the re-check, or
        // starts after the delete and stores it again.
        await using var hold = await guard.HoldForCollectionAsync(deletion.Digest, cancellationToken);

        // Referenced by a push in this process since the pass began (an index listing it), pushed again (by tag or
        // digest: a push rewrites the revision link before it tags) or untagged again since the snapshot: its times are
        // newer than anything the pass saw. One read, not a scan of every tag.
        var revision = snapshot.Revisions[deletion.Digest];
        if (guard.ReferencedSince(deletion.Digest, epoch) || await TimesAsync(repository, deletion.Digest, cancellationToken) is not { } times || times.UntaggedSince > revision.UntaggedSince)
        {
            return false;
        }

        var deleted = await writer.DeleteManifestAsync(repository, deletion.Digest, revision.Subject, cancellationToken);
        await driver.DeleteAsync(RegistryPaths.UntaggedRecord(repository, deletion.Digest), cancellationToken);
        return deleted;
    }

    /// <summary>Reads tags and revisions from storage, past the cache: another instance may have changed them.</summary>
    private async Task<RepositorySnapshot> ReadAsync(RepositoryName repository, bool untagged, CancellationToken cancellationToken)
    {
        var tags = await ReadTagsAsync(repository, cancellationToken);
        var digests = new List<Digest>();
        var root = $"{RegistryPaths.Repository(repository)}/_manifests/revisions";
        foreach (var algorithm in await driver.ListAsync(root, cancellationToken) ?? [])
        {
            foreach (var encoded in await driver.ListAsync($"{root}/{algorithm}", cancellationToken) ?? [])
            {
                if (Digest.TryParse($"{algorithm}:{encoded}", out var digest))
                {
                    digests.Add(digest);
                }
            }
        }

        var revisions = new Dictionary<Digest, RevisionState>();
        var unrecorded = new HashSet<Digest>();
        foreach (var digest in digests)
        {
            if (await TimesAsync(repository, digest, cancellationToken) is not { } times)
            {
                continue;
            }

            var untaggedSince = times.UntaggedSince;
            if (!times.Recorded)
            {
                unrecorded.Add(digest);
            }

            var stored = await manifests.GetAsync(repository, digest, cancellationToken);
            var parsed = stored is null ? null : ManifestParser.Parse(stored.Content, stored.MediaType).Manifest;
            IReadOnlyList<Digest> references = parsed is not null
                ? parsed.Manifests.Select(m => m.Digest).ToList()
                : stored is null ? [] : ManifestDigestScan.Find(stored.Content).Where(digests.Contains).ToList();
            revisions[digest] = new RevisionState(digest, untaggedSince, references, parsed?.Subject?.Digest, parsed is not null);
        }

        unrecorded.ExceptWith(tags.Select(t => t.Digest));
        if (untagged && unrecorded.Count > 0)
        {
            foreach (var (digest, leftAt) in await TagIndexHistory.LeftAtAsync(driver, repository, tags, unrecorded, cancellationToken))
            {
                if (leftAt > revisions[digest].UntaggedSince)
                {
                    revisions[digest] = revisions[digest] with { UntaggedSince = leftAt };
                }
            }
        }

        return new RepositorySnapshot(repository.Value, tags, revisions);
    }

    private async Task<List<TagState>> ReadTagsAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var tags = new List<TagState>();
        foreach (var tag in await driver.ListAsync(RegistryPaths.Tags(repository), cancellationToken) ?? [])
        {
            if (TagName.IsValid(tag) && await ReadTagAsync(repository, tag, cancellationToken) is { } state)
            {
                tags.Add(state);
            }
        }

        return tags;
    }

    private async Task<TagState?> ReadTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        var path = RegistryPaths.TagCurrentLink(repository, tag);
        var entry = await driver.StatAsync(path, cancellationToken);
        var content = await driver.GetContentAsync(path, cancellationToken);
        return entry is null || content is null || !Digest.TryParse(Encoding.ASCII.GetString(content).Trim(), out var digest)
            ? null
            : new TagState(tag, digest, entry.LastModified);
    }

    /// <summary>
    /// The latest of the revision link's time (its last push), the untag record's and the data's (its last reference by
    /// a push, a touch), and whether there is a record; null when the digest is no revision of the repository.
    /// </summary>
    private async Task<(DateTimeOffset UntaggedSince, bool Recorded)?> TimesAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var link = RegistryPaths.ManifestRevisionLink(repository, digest);
        var content = await driver.GetContentAsync(link, cancellationToken);
        if (content is null || !Digest.TryParse(Encoding.ASCII.GetString(content).Trim(), out var linked) || !linked.Equals(digest) ||
            await driver.StatAsync(link, cancellationToken) is not { } pushed)
        {
            return null;
        }

        var record = await driver.StatAsync(RegistryPaths.UntaggedRecord(repository, digest), cancellationToken);
        var since = record is not null && record.LastModified > pushed.LastModified ? record.LastModified : pushed.LastModified;

        // A push that relies on the manifest without rewriting its revision link (an index listing it as a child)
        // touches its data: read last, so a push in another process during the pass is seen here or by the re-check.
        if (await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is { IsDirectory: false } data && data.LastModified > since)
        {
            since = data.LastModified;
        }

        return (since, record is not null);
    }

    /// <summary>Untag records of manifests deleted since (through the API, or by garbage collection) are dropped.</summary>
    private async Task RemoveStaleRecordsAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var root = RegistryPaths.Untagged(repository);
        foreach (var algorithm in await driver.ListAsync(root, cancellationToken) ?? [])
        {
            foreach (var encoded in await driver.ListAsync($"{root}/{algorithm}", cancellationToken) ?? [])
            {
                if (Digest.TryParse($"{algorithm}:{encoded}", out var digest) && await TimesAsync(repository, digest, cancellationToken) is null)
                {
                    await driver.DeleteAsync(RegistryPaths.UntaggedRecord(repository, digest), cancellationToken);
                }
            }
        }
    }
}
