using Berth.Core.Caching;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Tags;

/// <summary>Tags as registry:2 stores them: <c>tags/&lt;tag&gt;/current/link</c> plus an index of every digest the tag has held.</summary>
public sealed class TagStore(IStorageDriver driver, LinkStore links, TimeProvider time)
{
    // Tag lists change when anyone pushes, here or on another instance: cached only as long as a link is.
    private readonly ExpiringCache<RepositoryName, IReadOnlyList<string>> _lists = new(LinkStore.TimeToLive, time, maxEntries: 10_000);

    public Task<Digest?> ResolveAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        links.ReadAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken);

    public async Task TagAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken = default)
    {
        // Index first: a tag is only ever current for a digest its index already records, as in registry:2.
        await links.WriteAsync(RegistryPaths.TagIndexLink(repository, tag, digest), digest, cancellationToken);
        await links.WriteAsync(RegistryPaths.TagCurrentLink(repository, tag), digest, cancellationToken);
        _lists.Remove(repository);
    }

    /// <summary>Tags of a repository, sorted; null when the repository has no tags directory.</summary>
    public async Task<IReadOnlyList<string>?> ListAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        if (_lists.TryGet(repository, out var cached))
        {
            return cached;
        }

        var names = await driver.ListAsync(RegistryPaths.Tags(repository), cancellationToken);
        if (names is null)
        {
            return null;
        }

        var tags = names.Where(TagName.IsValid).ToList();
        _lists.Set(repository, tags);
        return tags;
    }

    public async Task<bool> DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default)
    {
        _lists.Remove(repository);
        var deleted = await links.DeleteAsync(RegistryPaths.Tag(repository, tag), cancellationToken);
        _lists.Remove(repository);
        return deleted;
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
