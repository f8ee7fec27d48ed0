using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Repositories;

/// <summary>
/// Lists repositories as registry:2's catalog does: a directory under <c>repositories/</c> that holds
/// <c>_manifests</c> or <c>_layers</c> is a repository; directories whose names start with '_' are never descended.
/// </summary>
public sealed class RepositoryCatalog(IStorageDriver driver)
{
    /// <summary>Up to <paramref name="limit"/> repository names after <paramref name="last"/>, in lexical order.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(int limit, string? last, CancellationToken cancellationToken = default)
    {
        var all = await FindAsync(["_manifests", "_layers"], cancellationToken);
        return all.Where(n => last is null || string.CompareOrdinal(n, last) > 0).Take(limit).ToList();
    }

    /// <summary>
    /// Every repository directory that holds one of <paramref name="markers"/>, sorted; the upload purger asks for
    /// <c>_uploads</c> so that a first push that died, with nothing but an upload, is found too.
    /// </summary>
    public async Task<List<string>> FindAsync(string[] markers, CancellationToken cancellationToken = default)
    {
        var all = new List<string>();
        await WalkAsync(RegistryPaths.RepositoriesRoot, string.Empty, markers, all, cancellationToken);
        all.Sort(StringComparer.Ordinal);
        return all;
    }

    public async Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken = default) =>
        await driver.StatAsync(RegistryPaths.Repository(repository), cancellationToken) is { IsDirectory: true };

    private async Task WalkAsync(string path, string name, string[] markers, List<string> found, CancellationToken cancellationToken)
    {
        var children = await driver.ListAsync(path, cancellationToken);
        if (children is null)
        {
            return;
        }

        if (name.Length > 0 && children.Any(markers.Contains) && RepositoryName.TryParse(name, out _))
        {
            found.Add(name);
        }

        foreach (var child in children)
        {
            if (!child.StartsWith('_'))
            {
                await WalkAsync($"{path}/{child}", name.Length == 0 ? child : $"{name}/{child}", markers, found, cancellationToken);
            }
        }
    }
}
