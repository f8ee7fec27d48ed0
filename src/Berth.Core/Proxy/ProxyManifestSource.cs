using System.Collections.Concurrent;
using Berth.Core.Digests;
using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Core.Tags;
using Berth.Core.Writes;

namespace Berth.Core.Proxy;

/// <summary>
/// The upstream behind <see cref="ManifestStore"/> for proxied repositories. By digest: served from storage once
/// fetched. By tag: served from storage within the tag's freshness window, then checked with a HEAD (which Docker Hub
/// does not count as a pull) and fetched only when the upstream's digest moved. When the upstream fails, a cached tag
/// is served stale. Concurrent misses for one manifest share one upstream request.
/// </summary>
public sealed class ProxyManifestSource(ManifestStore manifests, TagStore tags, RegistryWriter writer, ProxyExpiry expiry, TimeProvider time)
{
    private const int MaxCheckedTags = 100_000;

    private static readonly string Accept = string.Join(", ", MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest);

    private readonly ConcurrentDictionary<string, Task<ProxyManifest>> _inflight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _checkedTags = new(StringComparer.Ordinal);

    public async Task<ProxyManifest> GetAsync(ProxiedRepository repository, string reference, CancellationToken cancellationToken = default)
    {
        var upstream = repository.Upstream;
        if (Digest.TryParse(reference, out var digest))
        {
            if (await manifests.GetAsync(repository.LocalName, digest, cancellationToken) is { } stored)
            {
                return Hit(repository, stored);
            }

            try
            {
                return await CoalesceAsync(repository, reference, digest, null).WaitAsync(cancellationToken);
            }
            catch (UpstreamUnavailableException e)
            {
                return ProxyManifest.Failed(ErrorCode.Unavailable, e.Message);
            }
        }

        var cachedDigest = await tags.ResolveAsync(repository.LocalName, reference, cancellationToken);
        var cached = cachedDigest is null ? null : await manifests.GetAsync(repository.LocalName, cachedDigest, cancellationToken);
        if (cached is not null && _checkedTags.TryGetValue(TagKey(repository, reference), out var checkedAt) &&
            time.GetUtcNow() - checkedAt < upstream.Options.TagFreshness)
        {
            return Hit(repository, cached);
        }

        try
        {
            return await CoalesceAsync(repository, reference, null, cached).WaitAsync(cancellationToken);
        }
        catch (UpstreamUnavailableException e) when (cached is not null)
        {
            ProxyLog.ServingStale(upstream.Logger, upstream.Name, repository.LocalName.Value, reference, cached.Digest.Value, e.Message);
            upstream.Metrics.Stale(upstream.Name);
            return Hit(repository, cached, countHit: false);
        }
        catch (UpstreamUnavailableException e)
        {
            return ProxyManifest.Failed(ErrorCode.Unavailable, e.Message);
        }
    }

    private ProxyManifest Hit(ProxiedRepository repository, StoredManifest manifest, bool countHit = true)
    {
        if (countHit)
        {
            repository.Upstream.Metrics.Hit(repository.Upstream.Name);
        }

        expiry.TouchManifest(repository, manifest);
        return ProxyManifest.Of(manifest);
    }

    /// <summary>One upstream exchange per manifest at a time; it runs to completion even if its first caller leaves.</summary>
    private Task<ProxyManifest> CoalesceAsync(ProxiedRepository repository, string reference, Digest? expected, StoredManifest? cached)
    {
        var key = $"{repository.LocalName.Value}\n{reference}";
        var created = new TaskCompletionSource<ProxyManifest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _inflight.GetOrAdd(key, created.Task);
        if (task == created.Task)
        {
            _ = RunAsync();
        }

        return task;

        async Task RunAsync()
        {
            try
            {
                created.SetResult(await FetchAsync(repository, reference, expected, cached));
            }
            catch (Exception e)
            {
                created.SetException(e);
            }
            finally
            {
                _inflight.TryRemove(new KeyValuePair<string, Task<ProxyManifest>>(key, created.Task));
            }
        }
    }

    private async Task<ProxyManifest> FetchAsync(ProxiedRepository repository, string reference, Digest? expected, StoredManifest? cached)
    {
        var upstream = repository.Upstream;
        var resource = "manifests/" + reference;
        if (cached is not null)
        {
            using var head = await upstream.SendAsync(HttpMethod.Head, repository.RemoteName, resource, Accept, CancellationToken.None);
            if (head.IsSuccessStatusCode && UpstreamDigest(head) is { } current && current.Equals(cached.Digest))
            {
                MarkChecked(repository, reference);
                return Hit(repository, cached);
            }
        }

        using var response = await upstream.SendAsync(HttpMethod.Get, repository.RemoteName, resource, Accept, CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            return ProxyManifest.Failed(ErrorCode.ManifestUnknown, $"manifest unknown to upstream {upstream.Name}: {repository.RemoteName}:{reference}");
        }

        var content = await UpstreamManifestReader.ReadAsync(response, upstream)
            ?? throw Rejected(repository, reference, $"larger than {ManifestStore.MaxManifestBytes / 1024 / 1024} MiB or cut short");
        var algorithm = expected?.Algorithm ?? UpstreamDigest(response)?.Algorithm ?? DigestAlgorithm.Sha256;
        var digest = Digest.Compute(algorithm, content);
        if ((expected is not null && !expected.Equals(digest)) || (UpstreamDigest(response) is { } claimed && claimed.Algorithm == algorithm && !claimed.Equals(digest)))
        {
            throw Rejected(repository, reference, $"its bytes hash to {digest}, not the digest it was requested or announced by");
        }

        // Validated exactly as a pushed manifest is; its blobs arrive later, through the blob source.
        var (parsed, error) = ManifestParser.Parse(content, response.Content.Headers.ContentType?.MediaType);
        if (error is not null)
        {
            throw Rejected(repository, reference, error.Message);
        }

        await writer.PutManifestAsync(repository.LocalName, digest, content, parsed!, expected is null ? reference : null, CancellationToken.None);
        upstream.Metrics.Miss(upstream.Name);
        upstream.Metrics.Fetched(upstream.Name, content.Length);
        if (expected is null)
        {
            MarkChecked(repository, reference);
        }

        var stored = await manifests.GetAsync(repository.LocalName, digest, CancellationToken.None)
            ?? throw new InvalidOperationException($"manifest {digest} was stored but cannot be read back");
        expiry.TouchManifest(repository, stored);
        return ProxyManifest.Of(stored);
    }

    private static UpstreamUnavailableException Rejected(ProxiedRepository repository, string reference, string reason)
    {
        var upstream = repository.Upstream;
        ProxyLog.ManifestRejected(upstream.Logger, upstream.Name, repository.LocalName.Value, reference, reason);
        upstream.Metrics.Error(upstream.Name);
        return new UpstreamUnavailableException($"upstream {upstream.Name} sent an unusable manifest for {repository.RemoteName}:{reference}: {reason}");
    }

    private static Digest? UpstreamDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest) ? digest : null;

    private void MarkChecked(ProxiedRepository repository, string reference)
    {
        if (_checkedTags.Count >= MaxCheckedTags)
        {
            _checkedTags.Clear();
        }

        _checkedTags[TagKey(repository, reference)] = time.GetUtcNow();
    }

    private static string TagKey(ProxiedRepository repository, string tag) => repository.LocalName.Value + ":" + tag;
}
