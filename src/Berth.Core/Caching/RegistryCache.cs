using System.Diagnostics.CodeAnalysis;
using Berth.Core.Diagnostics;
using Berth.Core.Digests;
using Berth.Core.Manifests;

namespace Berth.Core.Caching;

/// <summary>The in-process level of <see cref="IRegistryCache"/>: bounded in bytes for content and in count for facts.</summary>
internal sealed class RegistryCache(TimeProvider time, RegistryMetrics? metrics = null) : IRegistryCache
{
    private const long ContentBudgetBytes = 64 * 1024 * 1024;
    private const int MaxFacts = 200_000;

    private readonly ContentCache<StoredManifest> _content = new(ContentBudgetBytes, m => m.Content.Length);
    private readonly ExpiringCache<string, object> _facts = new(CacheKeys.LinkTimeToLive, time, MaxFacts, StringComparer.Ordinal);

    public bool TryGetContent(Digest digest, [MaybeNullWhen(false)] out StoredManifest manifest)
    {
        var hit = _content.TryGet(digest, out manifest);
        metrics?.CacheLookup("manifest", hit);
        return hit;
    }

    public void SetContent(StoredManifest manifest) => _content.Add(manifest.Digest, manifest);

    public bool TryGetFact<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        if (_facts.TryGet(key, out var stored) && stored is T typed)
        {
            metrics?.CacheLookup(CacheKeys.KindOf(key), hit: true);
            value = typed;
            return true;
        }

        metrics?.CacheLookup(CacheKeys.KindOf(key), hit: false);
        value = default;
        return false;
    }

    public void SetFact<T>(string key, T value, TimeSpan timeToLive) => _facts.Set(key, value!, timeToLive);

    public void Invalidate(string key) => _facts.Remove(key);

    public void InvalidatePrefix(string prefix) => _facts.RemoveWhere(key => key.StartsWith(prefix, StringComparison.Ordinal));
}
