using System.Text;
using Berth.Core.Configuration;
using Berth.Core.Digests;
using Berth.Core.Errors;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Retention;

/// <summary>
/// Consulted by <see cref="Writes.RegistryWriter"/> before a tag moves or goes. It refuses what would move or delete
/// an immutable tag (<c>retention.immutable</c>), and records that the manifest the tag leaves lost a tag, in
/// <c>_untagged/&lt;alg&gt;/&lt;hex&gt;</c>, whose modification time retention reads as the untag time. The record is
/// written before the tag changes, so a crash in between leaves a record that is early, never one that is missing.
/// Only repositories whose policy deletes untagged manifests get records: elsewhere nobody reads them, and nobody
/// would remove them.
/// </summary>
public sealed class TagGuard(IStorageDriver driver, RegistryConfiguration configuration)
{
    private TagPatterns Immutable => configuration.Retention.Immutable;

    /// <summary>
    /// Throws <see cref="ProtectedTagException"/> when <paramref name="tag"/> is immutable and holds
    /// <paramref name="current"/>, which <paramref name="next"/> (null: a delete) would replace. Re-pushing the same
    /// digest and creating the tag are allowed.
    /// </summary>
    public void EnsureMayChange(RepositoryName repository, string tag, Digest? current, Digest? next)
    {
        if (current is null || current.Equals(next) || Immutable.IsEmpty || !Immutable.IsMatch(tag))
        {
            return;
        }

        var change = next is null ? "deleted" : $"moved to {next}";
        throw new ProtectedTagException(new RegistryError(
            ErrorCode.Denied,
            $"tag {repository}:{tag} is immutable (retention.immutable): it points to {current} and cannot be {change}",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["tag"] = tag, ["digest"] = current.Value }));
    }

    /// <summary>Checks the change, then records that <paramref name="current"/> is losing <paramref name="tag"/>.</summary>
    public async Task BeforeUntagAsync(RepositoryName repository, string tag, Digest current, Digest? next, CancellationToken cancellationToken = default)
    {
        EnsureMayChange(repository, tag, current, next);
        if (configuration.Retention.PolicyFor(repository.Value)?.DeleteUntaggedAfter is null)
        {
            return;
        }

        await driver.PutContentAsync(RegistryPaths.UntaggedRecord(repository, current), Encoding.ASCII.GetBytes(current.Value), cancellationToken);
    }
}
