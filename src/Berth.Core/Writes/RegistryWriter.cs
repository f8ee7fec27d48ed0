using Berth.Core.Blobs;
using Berth.Core.Caching;
using Berth.Core.Collection;
using Berth.Core.Digests;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Retention;
using Berth.Core.Storage;
using Berth.Core.Tags;

namespace Berth.Core.Writes;

/// <summary>
/// The one owner of the registry's write path: every blob commit, mount, link write, tag move and delete happens
/// here, in registry:2's order (data before the link that makes it visible; a tag's index before its current link),
/// then invalidates the cache facts it changed and announces it as a <see cref="RegistryEvent"/>.
/// Upload sessions write their own scratch data; nothing becomes registry content except through this class.
/// </summary>
public sealed class RegistryWriter(
    IStorageDriver driver, LinkStore links, BlobStore blobs, TagStore tags, RepositoryCatalog catalog, IRegistryCache cache, IRegistryEventSink events, TimeProvider time,
    BlobQuarantine quarantine,
    ReferenceGuard guard,
    TagGuard tagGuard,
    TagWriteLocks tagLocks)
{
    /// <summary>Makes an upload's verified data the blob (a move, skipped when the blob exists) and links it.</summary>
    public async Task<BlobWriteOutcome> CommitUploadAsync(RepositoryName repository, string uploadData, BlobDescriptor blob, CancellationToken cancellationToken = default)
    {
        var outcome = BlobWriteOutcome.AlreadyExisted;
        if (!await IsStoredAsync(blob.Digest, cancellationToken))
        {
            await driver.MoveAsync(uploadData, RegistryPaths.BlobData(blob.Digest), cancellationToken);
            outcome = BlobWriteOutcome.Created;
        }

        await LinkBlobAsync(repository, blob, outcome, cancellationToken);
        return outcome;
    }

    /// <summary>Writes a small verified blob in one atomic put (skipped when it exists) and links it.</summary>
    public async Task<BlobWriteOutcome> PutBlobAsync(RepositoryName repository, Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var outcome = await PutDataAsync(digest, content, cancellationToken);
        await LinkBlobAsync(repository, new BlobDescriptor(digest, content.Length), outcome, cancellationToken);
        return outcome;
    }

    /// <summary>Links a blob that <paramref name="from"/> has; the caller checked the source link and the data.</summary>
    public async Task MountBlobAsync(RepositoryName repository, RepositoryName from, BlobDescriptor blob, CancellationToken cancellationToken = default)
    {
        await links.WriteAsync(RegistryPaths.LayerLink(repository, blob.Digest), blob.Digest, cancellationToken);
        catalog.Remember(repository);
        events.Publish(new BlobMounted(repository, time.GetUtcNow(), blob.Digest, blob.Size, from));
    }

    /// <summary>Removes the repository's layer link; the data stays for garbage collection, as in registry:2.</summary>
    public async Task<bool> UnlinkBlobAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!await blobs.IsLayerLinkedAsync(repository, digest, cancellationToken) ||
            !await links.DeleteAsync(StoragePath.Parent(RegistryPaths.LayerLink(repository, digest)), cancellationToken))
        {
            return false;
        }

        events.Publish(new BlobDeleted(repository, time.GetUtcNow(), digest));
        return true;
    }

    /// <summary>
    /// Stores a validated manifest whose references the caller checked: its bytes as a blob, its revision link, its
    /// referrer link when it has a subject, and the tag when pushed by tag.
    /// </summary>
    public async Task<BlobWriteOutcome> PutManifestAsync(
        RepositoryName repository, Digest digest, ReadOnlyMemory<byte> content, ParsedManifest manifest, string? tag, CancellationToken cancellationToken = default)
    {
        if (tag is not null)
        {
            // Refused before anything is written: a refused push leaves no manifest behind.
            tagGuard.EnsureMayChange(repository, tag, await tags.ResolveAsync(repository, tag, cancellationToken), digest);
        }

        var outcome = await PutDataAsync(digest, content, cancellationToken);
        await links.WriteAsync(RegistryPaths.ManifestRevisionLink(repository, digest), digest, cancellationToken);
        catalog.Remember(repository);
        if (manifest.Subject is { } subject)
        {
            await links.WriteAsync(RegistryPaths.ReferrerLink(repository, subject.Digest, digest), digest, cancellationToken);
        }

        var references = manifest.BlobReferences.Concat(manifest.Manifests.Select(m => m.Digest)).ToList();
        events.Publish(new ManifestPushed(repository, time.GetUtcNow(), digest, manifest.MediaType, content.Length, tag, manifest.Subject?.Digest, references,
            outcome == BlobWriteOutcome.Created)
        {
            Descriptors = [.. (manifest.Config is null ? [] : new[] { manifest.Config }), .. manifest.Layers, .. manifest.Manifests],
        });
        if (tag is not null)
        {
            await TagAsync(repository, tag, digest, cancellationToken);
        }

        return outcome;
    }

    public async Task TagAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken = default)
    {
        using var locked = await tagLocks.LockAsync(repository, tag, cancellationToken);
        var previous = await tags.ResolveAsync(repository, tag, cancellationToken);
        if (previous is not null && !previous.Equals(digest))
        {
            await tagGuard.BeforeUntagAsync(repository, tag, previous, digest, cancellationToken);
        }

        // Index first: a tag is only ever current for a digest its index already records, as in registry:2.
        await links.WriteAsync(RegistryPaths.TagIndexLink(repository, tag, digest), digest, cancellationToken);
        await links.WriteAsync(RegistryPaths.TagCurrentLink(repository, tag), digest, cancellationToken);
        cache.Invalidate(CacheKeys.TagList(repository));
        if (!digest.Equals(previous))
        {
            events.Publish(new TagMoved(repository, time.GetUtcNow(), tag, digest, previous));
        }
    }

    public async Task<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        using var locked = await tagLocks.LockAsync(repository, tag, cancellationToken);
        return await DeleteTagCoreAsync(repository, tag, cancellationToken);
    }

    /// <summary>
    /// Deletes the tag only if <paramref name="unchanged"/> still holds, checked under the tag's lock: a push of the
    /// tag in this process lands before the check (which then sees it) or after the delete (which it then undoes).
    /// </summary>
    public async Task<bool> DeleteTagIfAsync(RepositoryName repository, string tag, Func<CancellationToken, Task<bool>> unchanged, CancellationToken cancellationToken = default)
    {
        using var locked = await tagLocks.LockAsync(repository, tag, cancellationToken);
        return await unchanged(cancellationToken) && await DeleteTagCoreAsync(repository, tag, cancellationToken);
    }

    private async Task<bool> DeleteTagCoreAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        var digest = await tags.ResolveAsync(repository, tag, cancellationToken);
        if (digest is not null)
        {
            await tagGuard.BeforeUntagAsync(repository, tag, digest, null, cancellationToken);
        }

        cache.Invalidate(CacheKeys.TagList(repository));
        var deleted = await links.DeleteAsync(RegistryPaths.Tag(repository, tag), cancellationToken);
        cache.Invalidate(CacheKeys.TagList(repository));
        if (deleted)
        {
            events.Publish(new TagDeleted(repository, time.GetUtcNow(), tag, digest));
        }

        return deleted;
    }

    /// <summary>Deletes a revision, every tag that points to it and its referrer link.</summary>
    public async Task<bool> DeleteManifestAsync(RepositoryName repository, Digest digest, Digest? subject, CancellationToken cancellationToken = default)
    {
        var tagged = await tags.FindAsync(repository, digest, cancellationToken);
        foreach (var tag in tagged)
        {
            tagGuard.EnsureMayChange(repository, tag, digest, null);
        }

        foreach (var tag in tagged)
        {
            await DeleteTagAsync(repository, tag, cancellationToken);
        }

        if (subject is not null)
        {
            await links.DeleteAsync(StoragePath.Parent(RegistryPaths.ReferrerLink(repository, subject, digest)), cancellationToken);
        }

        if (!await links.DeleteAsync(RegistryPaths.ManifestRevision(repository, digest), cancellationToken))
        {
            return false;
        }

        events.Publish(new ManifestDeleted(repository, time.GetUtcNow(), digest));
        return true;
    }

    /// <summary>
    /// Garbage collection's delete: the blob's data goes unless it was modified (written or touched) after
    /// <paramref name="cutoff"/>. Its links stay, as registry:2 2.8 leaves them; a link without data reads as absent.
    /// </summary>
    public async Task<bool> CollectBlobAsync(Digest digest, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        cache.Invalidate(CacheKeys.Blob(digest));
        var result = await driver.DeleteIfUnmodifiedSinceAsync(RegistryPaths.BlobData(digest), cutoff, cancellationToken);
        cache.Invalidate(CacheKeys.Blob(digest));
        return result == ConditionalDeleteResult.Deleted;
    }

    /// <summary>As <see cref="CollectBlobAsync"/>, but the data moves into quarantine, from which a push restores it.</summary>
    public async Task<bool> QuarantineBlobAsync(Digest digest, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        if (await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is not { IsDirectory: false } data || data.LastModified > cutoff)
        {
            return false;
        }

        cache.Invalidate(CacheKeys.Blob(digest));
        var admitted = await quarantine.AdmitAsync(digest, cancellationToken);
        cache.Invalidate(CacheKeys.Blob(digest));
        return admitted;
    }

    private async Task<BlobWriteOutcome> PutDataAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (await IsStoredAsync(digest, cancellationToken))
        {
            return BlobWriteOutcome.AlreadyExisted;
        }

        // PutContent is atomic in every driver: the blob is whole or absent, never a prefix.
        await driver.PutContentAsync(RegistryPaths.BlobData(digest), content, cancellationToken);
        cache.Invalidate(CacheKeys.Blob(digest));
        return BlobWriteOutcome.Created;
    }

    /// <summary>
    /// Content-addressed: when the blob exists its bytes are these bytes, so it is kept (touched for a collector in
    /// another process) instead of written. The store is asked, never the cache, so data removed since (by a
    /// collector or an operator) is written again.
    /// </summary>
    private async Task<bool> IsStoredAsync(Digest digest, CancellationToken cancellationToken) =>
        await blobs.StatDataInStoreAsync(digest, cancellationToken) is not null && await guard.KeepStoredAsync(digest, cancellationToken);

    private async Task LinkBlobAsync(RepositoryName repository, BlobDescriptor blob, BlobWriteOutcome outcome, CancellationToken cancellationToken)
    {
        cache.Invalidate(CacheKeys.Blob(blob.Digest));
        await links.WriteAsync(RegistryPaths.LayerLink(repository, blob.Digest), blob.Digest, cancellationToken);
        catalog.Remember(repository);
        events.Publish(new BlobCommitted(repository, time.GetUtcNow(), blob.Digest, blob.Size, outcome == BlobWriteOutcome.Created));
    }
}
