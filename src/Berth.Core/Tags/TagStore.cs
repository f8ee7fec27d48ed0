using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Tags;

/// <summary>Tags as registry:2 stores them: <c>tags/&lt;tag&gt;/current/link</c> plus an index of every digest the tag has held.</summary>
public sealed class TagStore(IStorageDriver driver, LinkStore links)
{
    public Task<Digest?> ResolveAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        links.ReadAsync(RegistryPaths.TagCurrentLink(repository, tag), cancellationToken);

    public async Task TagAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken = default)
    {
        // Index first: a tag is only ever current for a digest its index already records, as in registry:2.
        await links.WriteAsync(RegistryPaths.TagIndexLink(repository, tag, digest), digest, cancellationToken);
        await links.WriteAsync(RegistryPaths.TagCurrentLink(repository, tag), digest, cancellationToken);
    }

    /// <summary>Tags of a repository, sorted; null when the repository has no tags directory.</summary>
    public async Task<IReadOnlyList<string>?> ListAsync(RepositoryName repository, CancellationToken cancellationToken = default)
    {
        var names = await driver.ListAsync(RegistryPaths.Tags(repository), cancellationToken);
        return names?.Where(TagName.IsValid).ToList();
    }

    public Task<bool> DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken = default) =>
        links.DeleteAsync(RegistryPaths.Tag(repository, tag), cancellationToken);

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
