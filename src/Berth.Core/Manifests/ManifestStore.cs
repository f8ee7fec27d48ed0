using Berth.Core.Blobs;
using Berth.Core.Caching;
using Berth.Core.Collection;
using Berth.Core.Digests;
using Berth.Core.Errors;
using Berth.Core.Names;
using Berth.Core.Retention;
using Berth.Core.Storage;
using Berth.Core.Tags;
using Berth.Core.Writes;

namespace Berth.Core.Manifests;

/// <summary>
/// Manifests stored as registry:2 stores them: the bytes as a blob, a revision link in the repository, tag links and,
/// for manifests with a subject, a referrer link.
/// </summary>
public sealed class ManifestStore(IStorageDriver driver, LinkStore links, BlobStore blobs, TagStore tags, RegistryWriter writer, IRegistryCache cache, ReferenceGuard guard)
{
    /// <summary>distribution-spec: registries SHOULD accept manifests of at least 4 MiB.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    public async Task<Digest?> ResolveAsync(RepositoryName repository, string reference, CancellationToken cancellationToken = default)
    {
        if (Digest.TryParse(reference, out var digest))
        {
            return await IsRevisionAsync(repository, digest, cancellationToken) ? digest : null;
        }

        return await tags.ResolveAsync(repository, reference, cancellationToken);
    }

    public Task<bool> IsRevisionAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        links.PointsToAsync(RegistryPaths.ManifestRevisionLink(repository, digest), digest, cancellationToken);

    /// <summary>The manifest when <paramref name="digest"/> is a revision of the repository; otherwise null.</summary>
    public async Task<StoredManifest?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        if (!await IsRevisionAsync(repository, digest, cancellationToken))
        {
            return null;
        }

        return await ReadAsync(digest, cancellationToken);
    }

    /// <summary>
    /// The stored bytes of a revision of the repository, as they are, for the collector's mark: also those
    /// <see cref="GetAsync"/> refuses to serve (a duplicate key that registry:2's Go parser took), whose references
    /// still count. Null when the digest is no revision or its data is gone or larger than a manifest may be.
    /// </summary>
    internal async Task<byte[]?> ReadStoredRevisionAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default) =>
        await IsRevisionAsync(repository, digest, cancellationToken) ? await ReadLimitedAsync(digest, cancellationToken) : null;

    /// <summary>
    /// The manifest bytes by digest alone. Private: every read on behalf of a repository goes through
    /// <see cref="GetAsync"/>, which checks the repository's revision link first.
    /// </summary>
    private async Task<StoredManifest?> ReadAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (cache.TryGetContent(digest, out var cached))
        {
            return cached;
        }

        var content = await ReadLimitedAsync(digest, cancellationToken);
        if (content is null || !Digest.Compute(digest.Algorithm, content).Equals(digest))
        {
            // Bytes that do not hash to their name are never served (nor cached), whatever wrote them.
            return null;
        }

        if (ManifestMediaType.Detect(content) is not { } mediaType)
        {
            return null;
        }

        var manifest = new StoredManifest(digest, content, mediaType);
        cache.SetContent(manifest);
        return manifest;
    }

    /// <summary>
    /// A manifest is read whole, so nothing larger than a manifest may be: a revision link that names a
    /// multi-GiB layer (written by hand or by another tool) must not pull it into memory.
    /// </summary>
    private async Task<byte[]?> ReadLimitedAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = await driver.OpenReadAsync(RegistryPaths.BlobData(digest), cancellationToken);
        if (stream is null || stream.Length > MaxManifestBytes)
        {
            return null;
        }

        var content = new byte[stream.Length];
        await stream.ReadExactlyAsync(content, cancellationToken);
        return content;
    }

    /// <summary>
    /// Validates and stores a manifest. <paramref name="tag"/> is set for a PUT by tag,
    /// <paramref name="expectedDigest"/> for a PUT by digest.
    /// </summary>
    public async Task<ManifestPutOutcome> PutAsync(
        RepositoryName repository,
        string? tag,
        Digest? expectedDigest,
        ReadOnlyMemory<byte> content,
        string? contentType,
        CancellationToken cancellationToken = default)
    {
        var digest = Digest.Compute(expectedDigest?.Algorithm ?? DigestAlgorithm.Sha256, content.Span);
        if (expectedDigest is not null && !expectedDigest.Equals(digest))
        {
            return ManifestPutOutcome.Failed(new RegistryError(
                ErrorCode.DigestInvalid, $"manifest digest {digest} does not match the digest {expectedDigest} in the URL", DigestDetail(digest.Value)));
        }

        var (manifest, error) = ManifestParser.Parse(content, contentType);
        if (error is not null)
        {
            return ManifestPutOutcome.Failed(error);
        }

        // Held from the check to the write, so a collector cannot delete a referenced blob in between: the manifest
        // is stored with every blob present, or refused with MANIFEST_BLOB_UNKNOWN.
        // The manifest's own digest is held for the write, not touched: a new one is not in the store yet. A reference
        // the repository does not link is refused first: holding it would touch it, or restore it from quarantine,
        // for a repository that has no right to it.
        if (await FindUnlinkedReferenceAsync(repository, manifest!, cancellationToken) is { } unlinked)
        {
            return ManifestPutOutcome.Failed(unlinked);
        }

        await using var hold = await guard.ReferenceForWriteAsync(
            [.. manifest!.BlobReferences, .. manifest.Manifests.Select(m => m.Digest)], digest, cancellationToken);
        if (await FindMissingReferenceAsync(repository, manifest, cancellationToken) is { } missing)
        {
            return ManifestPutOutcome.Failed(missing);
        }

        try
        {
            await writer.PutManifestAsync(repository, digest, content, manifest, tag, cancellationToken);
        }
        catch (ProtectedTagException e)
        {
            return ManifestPutOutcome.Failed(e.Error);
        }

        return ManifestPutOutcome.Stored(digest, manifest!);
    }

    /// <summary>Digests of the repository's manifest revisions (each read back through <see cref="GetAsync"/> before use).</summary>
    public async Task<IReadOnlyList<Digest>> ListRevisionsAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        var root = $"{RegistryPaths.Repository(repository)}/_manifests/revisions";
        var found = new List<Digest>();
        foreach (var algorithm in await driver.ListAsync(root, cancellationToken) ?? [])
        {
            foreach (var encoded in await driver.ListAsync($"{root}/{algorithm}", cancellationToken) ?? [])
            {
                if (Digest.TryParse($"{algorithm}:{encoded}", out var digest))
                {
                    found.Add(digest);
                }
            }
        }

        return found;
    }

    /// <summary>Deletes a revision, every tag that points to it and its referrer link; false when it was not there.</summary>
    public async Task<bool> DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var stored = await GetAsync(repository, digest, cancellationToken);
        if (stored is null)
        {
            return false;
        }

        var subject = ManifestParser.Parse(stored.Content, stored.MediaType).Manifest?.Subject?.Digest;
        return await writer.DeleteManifestAsync(repository, digest, subject, cancellationToken);
    }

    private static Dictionary<string, string> DigestDetail(string digest) => new(StringComparer.Ordinal) { ["digest"] = digest };

    /// <summary>The first reference the repository does not link (links only; the data is checked under the hold).</summary>
    private async Task<RegistryError?> FindUnlinkedReferenceAsync(RepositoryName repository, ParsedManifest manifest, CancellationToken cancellationToken)
    {
        // All at once, as the check under the hold does (which then finds the links in the cache).
        var references = manifest.BlobReferences.Distinct().ToList();
        var linked = await Task.WhenAll(references.Select(blob => blobs.IsLinkedAsync(repository, blob, cancellationToken)));
        if (Array.IndexOf(linked, false) is var first and >= 0)
        {
            return BlobUnknown(repository, references[first]);
        }

        foreach (var child in manifest.Manifests)
        {
            if (!await IsRevisionAsync(repository, child.Digest, cancellationToken))
            {
                return ChildUnknown(repository, child.Digest);
            }
        }

        return null;
    }

    private static RegistryError BlobUnknown(RepositoryName repository, Digest blob) =>
        new(ErrorCode.ManifestBlobUnknown, $"blob {blob} referenced by the manifest is not in repository {repository}", DigestDetail(blob.Value));

    private static RegistryError ChildUnknown(RepositoryName repository, Digest child) =>
        new(ErrorCode.ManifestBlobUnknown, $"manifest {child} referenced by the index is not in repository {repository}", DigestDetail(child.Value));

    private async Task<RegistryError?> FindMissingReferenceAsync(RepositoryName repository, ParsedManifest manifest, CancellationToken cancellationToken)
    {
        // distribution-spec: the subject is the one reference that may be missing ("the registry MUST NOT reject
        // a manifest because its subject does not exist").
        // The store is asked, not the cache, and all at once: a manifest must never be stored pointing at data a
        // collector or an operator removed since it was last seen.
        var references = manifest.BlobReferences.Distinct().ToList();
        var found = await Task.WhenAll(references.Select(blob => blobs.StatInStoreAsync(repository, blob, cancellationToken)));
        for (var i = 0; i < references.Count; i++)
        {
            if (found[i] is null)
            {
                return BlobUnknown(repository, references[i]);
            }
        }

        foreach (var child in manifest.Manifests)
        {
            if (!await IsRevisionAsync(repository, child.Digest, cancellationToken))
            {
                return ChildUnknown(repository, child.Digest);
            }
        }

        return null;
    }
}
