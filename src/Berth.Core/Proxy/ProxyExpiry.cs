using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Storage;
using Berth.Core.Writes;
using Microsoft.Extensions.Logging;

namespace Berth.Core.Proxy;

/// <summary>
/// The cache's time to live, kept as registry:2 keeps it (<c>/scheduler-state.json</c> at the storage root). Every
/// pull refreshes its entry; a manifest's pull refreshes the blobs and child manifests it references too, so
/// expiring one image never removes a layer another still-pulled image uses. Expiry removes the proxied repository's
/// tags, revision and layer links through <see cref="RegistryWriter"/>; the blob data is left to garbage collection.
/// </summary>
public sealed class ProxyExpiry(IStorageDriver driver, ManifestStore manifests, RegistryWriter writer, TimeProvider time, ILogger<ProxyExpiry> logger)
{
    public const string StatePath = "/scheduler-state.json";

    private readonly ConcurrentDictionary<string, SchedulerEntry> _entries = new(StringComparer.Ordinal);
    private volatile bool _dirty;

    public int Count => _entries.Count;

    public void Touch(ProxiedRepository repository, Digest digest, int entryType)
    {
        var key = $"{repository.LocalName.Value}@{digest.Value}";
        _entries[key] = new SchedulerEntry(key, time.GetUtcNow() + repository.Upstream.Options.Ttl, entryType);
        _dirty = true;
    }

    public void TouchManifest(ProxiedRepository repository, StoredManifest manifest)
    {
        Touch(repository, manifest.Digest, SchedulerEntry.Manifest);
        if (ManifestParser.Parse(manifest.Content, manifest.MediaType).Manifest is { } parsed)
        {
            foreach (var blob in parsed.BlobReferences)
            {
                Touch(repository, blob, SchedulerEntry.Blob);
            }

            foreach (var child in parsed.Manifests)
            {
                Touch(repository, child.Digest, SchedulerEntry.Manifest);
            }
        }
    }

    /// <summary>Loads the schedule registry:2 or an earlier Berth left; entries it cannot read are skipped.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var content = await driver.GetContentAsync(StatePath, cancellationToken);
        if (content is null)
        {
            return;
        }

        try
        {
            var entries = JsonSerializer.Deserialize(content, SchedulerJsonContext.Default.DictionaryStringSchedulerEntry) ?? [];
            foreach (var entry in entries.Values.Where(e => Parse(e.Key) is not null))
            {
                _entries.TryAdd(entry.Key, entry);
            }
        }
        catch (JsonException e)
        {
            ProxyLog.ExpiryFailed(logger, StatePath, e);
        }
    }

    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        var snapshot = _entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        await driver.PutContentAsync(StatePath, JsonSerializer.SerializeToUtf8Bytes(snapshot, SchedulerJsonContext.Default.DictionaryStringSchedulerEntry), cancellationToken);
    }

    /// <summary>Removes everything whose time to live ran out; returns how many entries expired.</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var entry in _entries.Values.Where(e => e.Expiry <= now).ToList())
        {
            // A pull that refreshed the entry since the snapshot wins.
            if (!_entries.TryRemove(new KeyValuePair<string, SchedulerEntry>(entry.Key, entry)))
            {
                continue;
            }

            _dirty = true;
            expired++;
            if (Parse(entry.Key) is not { } parsed)
            {
                continue;
            }

            var (repository, digest) = parsed;

            try
            {
                if (entry.EntryType == SchedulerEntry.Manifest)
                {
                    await manifests.DeleteAsync(repository, digest, cancellationToken);
                }
                else
                {
                    await writer.UnlinkBlobAsync(repository, digest, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ProxyLog.ExpiryFailed(logger, entry.Key, e);
            }
        }

        if (expired > 0)
        {
            ProxyLog.Expired(logger, expired);
        }

        return expired;
    }

    private static (RepositoryName, Digest)? Parse(string key)
    {
        var at = key.LastIndexOf('@');
        return at > 0 && RepositoryName.TryParse(key[..at], out var name) && Digest.TryParse(key[(at + 1)..], out var digest) ? (name, digest) : null;
    }
}
