using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Storage;
using Berth.Core.Tags;
using Berth.Core.Writes;

namespace Berth.Core.Collection;

/// <summary>
/// registry:2's offline mark and sweep (<c>registry garbage-collect</c>), on the registry:2 layout of any driver.
/// Mark: every manifest revision of every repository (with <see cref="CollectionOptions.DeleteUntagged"/>, only
/// those reachable from a tag), its config and layers, an index's children, and the manifests whose subject is
/// marked (signatures, SBOMs). Sweep: every blob not marked. It prints registry:2's lines, so scripts that read
/// them keep working.
/// </summary>
/// <remarks>
/// Unlike registry:2 2.8 (distribution#3178), the untagged children of a tagged index are reachable and kept with
/// their layers; each one is reported. Nothing here guards against concurrent pushes: run it on a stopped or
/// read-only registry, as registry:2's documentation requires.
/// </remarks>
public sealed class GarbageCollector(IStorageDriver driver, RepositoryCatalog catalog, ManifestStore manifests, TagStore tags, RegistryWriter writer)
{
    public async Task<CollectionSummary> CollectAsync(CollectionOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        var marked = new HashSet<Digest>();
        var eligibleManifests = new List<(string, Digest)>();
        var childrenKept = new List<(string, Digest)>();
        var repositories = await catalog.FindAsync(["_manifests"], cancellationToken);
        foreach (var repositoryText in repositories)
        {
            if (!RepositoryName.TryParse(repositoryText, out var repository))
            {
                continue;
            }

            await output.WriteLineAsync(repository.Value);
            var reachable = await MarkRepositoryAsync(repository, options, marked, output, childrenKept, cancellationToken);
            if (options.DeleteUntagged)
            {
                foreach (var revision in await RevisionsAsync(repository, cancellationToken))
                {
                    if (!reachable.Contains(revision))
                    {
                        await output.WriteLineAsync($"manifest eligible for deletion: {revision}");
                        eligibleManifests.Add((repository.Value, revision));
                    }
                }
            }
        }

        if (!options.DryRun)
        {
            foreach (var (repository, manifest) in eligibleManifests)
            {
                if (RepositoryName.TryParse(repository, out var name))
                {
                    await manifests.DeleteAsync(name, manifest, cancellationToken);
                }
            }
        }

        var eligibleBlobs = new List<Digest>();
        long bytes = 0;
        foreach (var blob in await AllBlobsAsync(cancellationToken))
        {
            if (!marked.Contains(blob))
            {
                eligibleBlobs.Add(blob);
                bytes += (await driver.StatAsync(RegistryPaths.BlobData(blob), cancellationToken))?.Size ?? 0;
            }
        }

        await output.WriteLineAsync($"\n{marked.Count} blobs marked, {eligibleBlobs.Count} blobs and {eligibleManifests.Count} manifests eligible for deletion");
        foreach (var blob in eligibleBlobs)
        {
            await output.WriteLineAsync($"blob eligible for deletion: {blob}");
            if (!options.DryRun)
            {
                await writer.DeleteBlobDataAsync(blob, cancellationToken);
            }
        }

        foreach (var (repository, child) in childrenKept)
        {
            await output.WriteLineAsync($"{repository}: kept untagged manifest {child}: a tagged index lists it (registry:2 2.8 would delete its blobs, distribution#3178)");
        }

        await output.WriteLineAsync(
            $"berth: {repositories.Count} repositories, {marked.Count} blobs marked, {eligibleBlobs.Count} blobs ({bytes} bytes) and {eligibleManifests.Count} manifests " +
            (options.DryRun ? "would be deleted (dry run: nothing was changed)" : "deleted"));
        return new CollectionSummary(repositories.Count, marked.Count, eligibleBlobs, bytes, eligibleManifests, childrenKept);
    }

    /// <summary>Marks the repository's roots and everything they reach; returns the manifests reached.</summary>
    private async Task<HashSet<Digest>> MarkRepositoryAsync(
        RepositoryName repository, CollectionOptions options, HashSet<Digest> marked, TextWriter output, List<(string, Digest)> childrenKept, CancellationToken cancellationToken)
    {
        var revisions = await RevisionsAsync(repository, cancellationToken);
        var parsed = new Dictionary<Digest, ParsedManifest?>();
        var unparsed = new Dictionary<Digest, List<Digest>>();
        foreach (var revision in revisions)
        {
            var stored = await manifests.GetAsync(repository, revision, cancellationToken);
            parsed[revision] = stored is null ? null : ManifestParser.Parse(stored.Content, stored.MediaType).Manifest;
            if (stored is not null && parsed[revision] is null)
            {
                unparsed[revision] = ManifestDigestScan.Find(stored.Content);
            }
        }

        var roots = new List<Digest>();
        var tagged = new HashSet<Digest>();
        if (options.DeleteUntagged)
        {
            foreach (var tag in await tags.ListAsync(repository, cancellationToken) ?? [])
            {
                if (await tags.ResolveAsync(repository, tag, cancellationToken) is { } digest && parsed.ContainsKey(digest))
                {
                    tagged.Add(digest);
                }
            }

            roots.AddRange(tagged);
        }
        else
        {
            roots.AddRange(revisions);
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

            if (options.DeleteUntagged && !tagged.Contains(digest))
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

        // Referrers and children found while marking are reached, but only tagged roots count as kept "by tag".
        childrenKept.RemoveAll(entry => entry.Item1 == repository.Value && IsReferrer(parsed, entry.Item2));
        return reached;
    }

    private static bool IsReferrer(Dictionary<Digest, ParsedManifest?> parsed, Digest digest) =>
        parsed.GetValueOrDefault(digest)?.Subject is not null;

    private async Task<List<Digest>> RevisionsAsync(RepositoryName repository, CancellationToken cancellationToken)
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
