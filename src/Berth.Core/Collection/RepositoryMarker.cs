using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Storage;
using Berth.Core.Tags;

namespace Berth.Core.Collection;

/// <summary>
/// The mark phase for one repository: which manifest revisions are roots, and every manifest and blob they reach
/// (configs, layers, an index's children, and manifests whose subject is reached).
/// </summary>
public sealed class RepositoryMarker(IStorageDriver driver, ManifestStore manifests, TagStore tags)
{
    /// <summary>
    /// Marks the repository's roots and everything they reach into <paramref name="marked"/>; returns the manifests
    /// reached. With <c>DeleteUntagged</c> the roots are the tagged manifests and the untagged ones modified after
    /// <paramref name="cutoff"/> (still inside the grace period); otherwise every revision.
    /// </summary>
    internal async Task<HashSet<Digest>> MarkAsync(
        RepositoryName repository, CollectionOptions options, DateTimeOffset cutoff, HashSet<Digest> marked, TextWriter output, List<(string, Digest)> childrenKept,
        CancellationToken cancellationToken)
    {
        var revisions = await RevisionsAsync(repository, cancellationToken);
        var parsed = new Dictionary<Digest, ParsedManifest?>();
        var unparsed = new Dictionary<Digest, List<Digest>>();
        foreach (var revision in revisions)
        {
            var stored = await manifests.GetAsync(repository, revision, cancellationToken);
            parsed[revision] = stored is null ? null : ManifestParser.Parse(stored.Content, stored.MediaType).Manifest;
            if (parsed[revision] is null && (stored?.Content ?? await manifests.ReadStoredRevisionAsync(repository, revision, cancellationToken)) is { } content)
            {
                unparsed[revision] = ManifestDigestScan.Find(content);
            }
        }

        var roots = new HashSet<Digest>();
        if (options.DeleteUntagged)
        {
            foreach (var tag in await tags.ListAsync(repository, cancellationToken) ?? [])
            {
                if (await tags.ResolveAsync(repository, tag, cancellationToken) is { } digest && parsed.ContainsKey(digest))
                {
                    roots.Add(digest);
                }
            }

            foreach (var revision in revisions.Where(r => !roots.Contains(r)))
            {
                if (await IsModifiedSinceAsync(RegistryPaths.ManifestRevisionLink(repository, revision), cutoff, cancellationToken))
                {
                    roots.Add(revision);
                }
            }
        }
        else
        {
            roots.UnionWith(revisions);
        }

        var reached = new HashSet<Digest>();
        var pending = new Stack<Digest>(roots);
        while (pending.Count > 0)
        {
            var digest = pending.Pop();
            if (!reached.Add(digest))
            {
                continue;
            }

            if (options.DeleteUntagged && !roots.Contains(digest) && parsed.GetValueOrDefault(digest)?.Subject is null)
            {
                childrenKept.Add((repository.Value, digest));
            }

            await output.WriteLineAsync($"{repository}: marking manifest {digest} ");
            marked.Add(digest);
            if (unparsed.TryGetValue(digest, out var named))
            {
                foreach (var reference in named)
                {
                    await output.WriteLineAsync($"{repository}: marking blob {reference}");
                    marked.Add(reference);
                    if (parsed.ContainsKey(reference))
                    {
                        pending.Push(reference);
                    }
                }
            }

            if (parsed.GetValueOrDefault(digest) is not { } manifest)
            {
                continue;
            }

            foreach (var blob in manifest.BlobReferences)
            {
                await output.WriteLineAsync($"{repository}: marking blob {blob}");
                marked.Add(blob);
            }

            foreach (var child in manifest.Manifests.Select(m => m.Digest).Where(parsed.ContainsKey))
            {
                pending.Push(child);
            }

            // A referrer (a signature, an SBOM) lives as long as what it refers to.
            foreach (var (referrer, referrerManifest) in parsed)
            {
                if (referrerManifest?.Subject?.Digest.Equals(digest) == true)
                {
                    pending.Push(referrer);
                }
            }
        }

        return reached;
    }

    /// <summary>
    /// Marks one manifest that a collection decided to keep after all (a push referenced it while the collection ran)
    /// and everything it reaches, read again from the store.
    /// </summary>
    public async Task MarkKeptAsync(RepositoryName repository, Digest digest, HashSet<Digest> marked, CancellationToken cancellationToken)
    {
        var pending = new Stack<Digest>([digest]);
        var seen = new HashSet<Digest>();
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next))
            {
                continue;
            }

            marked.Add(next);
            if (await manifests.GetAsync(repository, next, cancellationToken) is not { } stored)
            {
                if (await manifests.ReadStoredRevisionAsync(repository, next, cancellationToken) is { } content)
                {
                    marked.UnionWith(ManifestDigestScan.Find(content));
                }

                continue;
            }

            if (ManifestParser.Parse(stored.Content, stored.MediaType).Manifest is not { } manifest)
            {
                marked.UnionWith(ManifestDigestScan.Find(stored.Content));
                continue;
            }

            marked.UnionWith(manifest.BlobReferences);
            foreach (var child in manifest.Manifests)
            {
                pending.Push(child.Digest);
            }
        }
    }

    public async Task<bool> IsModifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        await driver.StatAsync(path, cancellationToken) is { } entry && entry.LastModified > cutoff;

    public async Task<List<Digest>> RevisionsAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var result = new List<Digest>();
        var root = $"{RegistryPaths.Repository(repository)}/_manifests/revisions";
        foreach (var algorithm in await driver.ListAsync(root, cancellationToken) ?? [])
        {
            foreach (var encoded in await driver.ListAsync($"{root}/{algorithm}", cancellationToken) ?? [])
            {
                if (Digest.TryParse($"{algorithm}:{encoded}", out var digest) &&
                    await manifests.IsRevisionAsync(repository, digest, cancellationToken))
                {
                    result.Add(digest);
                }
            }
        }

        return result;
    }
}
