using System.Diagnostics.CodeAnalysis;
using Berth.Core.Digests;
using Berth.Core.Manifests;

namespace Berth.Core.Caching;

/// <summary>
/// The one cache of the registry, with two kinds of entry.
/// <list type="bullet">
/// <item>Content by digest (manifest bytes): a digest names its bytes forever, so an entry can be absent but never
/// wrong; it may live as long as memory allows.</item>
/// <item>Facts that can change (a link, a blob's existence and size, a tag list, the repository list): each lives
/// at most its time to live, is removed by every local write and delete, and can be removed from outside through
/// <see cref="Invalidate"/> and <see cref="InvalidatePrefix"/> — the seam a shared second level (Redis, for
/// replicas) uses to carry another instance's writes here.</item>
/// </list>
/// A decision that skips writing data never rests on a fact from here: it asks the store.
/// </summary>
public interface IRegistryCache
{
    bool TryGetContent(Digest digest, [MaybeNullWhen(false)] out StoredManifest manifest);

    void SetContent(StoredManifest manifest);

    bool TryGetFact<T>(string key, [MaybeNullWhen(false)] out T value);

    void SetFact<T>(string key, T value, TimeSpan timeToLive);

    /// <summary>Forgets one fact (a link written or deleted, a blob deleted).</summary>
    void Invalidate(string key);

    /// <summary>Forgets every fact whose key starts with <paramref name="prefix"/> (a deleted directory of links).</summary>
    void InvalidatePrefix(string prefix);
}
