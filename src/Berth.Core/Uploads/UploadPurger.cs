using System.Globalization;
using System.Text;
using Berth.Core.Names;
using Berth.Core.Repositories;
using Berth.Core.Storage;

namespace Berth.Core.Uploads;

/// <summary>
/// registry:2's upload purging (storage.maintenance.uploadpurging): deletes upload sessions started longer ago than
/// the configured age, so abandoned pushes do not hold disk forever.
/// </summary>
public sealed class UploadPurger(IStorageDriver driver, RepositoryCatalog catalog, UploadHashStates hashStates, TimeProvider time)
{
    /// <summary>Returns the ids of the sessions purged (or that would be, with <paramref name="dryRun"/>).</summary>
    public async Task<IReadOnlyList<string>> PurgeAsync(TimeSpan olderThan, bool dryRun, CancellationToken cancellationToken = default)
    {
        var purged = new List<string>();
        var cutoff = time.GetUtcNow() - olderThan;
        foreach (var repositoryText in await catalog.FindAsync(["_uploads"], cancellationToken))
        {
            if (!RepositoryName.TryParse(repositoryText, out var repository))
            {
                continue;
            }

            foreach (var id in await driver.ListAsync(RegistryPaths.Uploads(repository), cancellationToken) ?? [])
            {
                if (!UploadId.IsValid(id) || await StartedAtAsync(repository, id, cancellationToken) is { } started && started > cutoff)
                {
                    continue;
                }

                purged.Add(id);
                if (!dryRun)
                {
                    hashStates.Forget(id);
                    await driver.DeleteAsync(RegistryPaths.Upload(repository, id), cancellationToken);
                }
            }
        }

        return purged;
    }

    private async Task<DateTimeOffset?> StartedAtAsync(RepositoryName repository, string id, CancellationToken cancellationToken)
    {
        var content = await driver.GetContentAsync(RegistryPaths.UploadStartedAt(repository, id), cancellationToken);
        if (content is not null && DateTimeOffset.TryParse(Encoding.ASCII.GetString(content), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started))
        {
            return started;
        }

        // No readable start time: judge by the session's directory instead of keeping it forever.
        return (await driver.StatAsync(RegistryPaths.Upload(repository, id), cancellationToken))?.LastModified;
    }
}
