using System.Diagnostics.CodeAnalysis;
using Berth.Core.Digests;
using Berth.Core.Manifests;

namespace Berth.Core.Caching;

/// <summary>The in-process level of <see cref="IRegistryCache"/>: bounded in bytes for content and in count for facts.</summary>
internal sealed class RegistryCache(TimeProvider time) : IRegistryCache
{
    private const long ContentBudgetBytes = 64 * 1024 * 1024;
    private const int MaxFacts = 200_000;

    private readonly ContentCache<StoredManifest> _content = new(ContentBudgetBytes, m => m.Content.Length);
    private readonly ExpiringCache<string, object> _facts = new(CacheKeys.LinkTimeToLive, time, MaxFacts, StringComparer.Ordinal);

    public bool TryGetContent(Digest digest, [MaybeNullWhen(false)] out StoredManifest manifest) => _content.TryGet(digest, out manifest);

    public void SetContent(StoredManifest manifest) => _content.Add(manifest.Digest, manifest);

    public bool TryGetFact<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        if (_facts.TryGet(key, out var stored) && stored is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    public void SetFact<T>(string key, T value, TimeSpan timeToLive) => _facts.Set(key, value!, timeToLive);

    public void Invalidate(string key) => _facts.Remove(key);

    public void InvalidatePrefix(string prefix) => _facts.RemoveWhere(key => key.StartsWith(prefix, StringComparison.Ordinal));
}
