using Berth.Core.Caching;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Tags;

/// <summary>
/// Reads tags as registry:2 stores them: <c>tags/&lt;tag&gt;/current/link</c> plus an index of every digest the tag
/// has held. Tags are moved and deleted by <see cref="Writes.RegistryWriter"/>.
/// </summary>
public sealed class TagStore(IStorageDriver driver, LinkStore links, IRegistryCache cache)
{
    public Task<Digest?> ResolveAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        links.ReadAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken);

    /// <summary>Tags of a repository, sorted; null when the repository has no tags directory.</summary>
    public async Task<IReadOnlyList<string>?> ListAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        var key = CacheKeys.TagList(repository);
        if (cache.TryGetFact<IReadOnlyList<string>>(key, out var cached))
        {
            return cached;
        }

        var names = await driver.ListAsync(RegistryPaths.Tags(repository), cancellationToken);
        if (names is null)
        {
            return null;
        }

        IReadOnlyList<string> tags = names.Where(TagName.IsValid).ToList();
        cache.SetFact(key, tags, CacheKeys.TagListTimeToLive);
        return tags;
    }

    /// <summary>Tags whose current link points to <paramref name="digest"/>.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var found = new List<string>();
        foreach (var tag in await ListAsync(repository, cancellationToken) ?? [])
        {
            if (digest.Equals(await ResolveAsync(repository, tag, cancellationToken)))
            {
                found.Add(tag);
            }
        }

        return found;
    }
}
