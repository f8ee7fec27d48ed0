using Berth.Core.Digests;
using Berth.Core.Storage;

namespace Berth.Core.Collection;

/// <summary>
/// Where collected blobs wait when <c>storage.gc.quarantine</c> is set: beside the registry:2 tree, under
/// <c>_berth/quarantine/&lt;alg&gt;/&lt;hex&gt;/data</c>. A push that needs a quarantined blob moves it back (the
/// <see cref="ReferenceGuard"/> does, under the digest's hold); a later collection purges what waited long enough.
/// </summary>
public sealed class BlobQuarantine(IStorageDriver driver)
{
    /// <summary>Moves the blob's data into quarantine; the quarantine time is the data's new modification time.</summary>
    public async Task<bool> AdmitAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is not { IsDirectory: false })
        {
            return false;
        }

        await driver.MoveAsync(RegistryPaths.BlobData(digest), RegistryPaths.QuarantinedBlobData(digest), cancellationToken);
        await driver.TouchAsync(RegistryPaths.QuarantinedBlobData(digest), cancellationToken);

        // The emptied blob directory stays: removing it could take data another instance just wrote there.
        return true;
    }

    /// <summary>Moves quarantined data back when the blob has none; true when it did.</summary>
    public async Task<bool> TryRestoreAsync(Digest digest, CancellationToken cancellationToken = default)
    {
        if (await driver.StatAsync(RegistryPaths.QuarantinedBlobData(digest), cancellationToken) is not { IsDirectory: false } ||
            await driver.StatAsync(RegistryPaths.BlobData(digest), cancellationToken) is { IsDirectory: false })
        {
            return false;
        }

        await driver.MoveAsync(RegistryPaths.QuarantinedBlobData(digest), RegistryPaths.BlobData(digest), cancellationToken);
        await driver.TouchAsync(RegistryPaths.BlobData(digest), cancellationToken);
        await driver.DeleteAsync(RegistryPaths.QuarantinedBlob(digest), cancellationToken);
        return true;
    }

    /// <summary>Every quarantined digest with the time it entered quarantine.</summary>
    public async Task<List<(Digest Digest, DateTimeOffset Since, long Size)>> ListAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<(Digest, DateTimeOffset, long)>();
        foreach (var algorithm in await driver.ListAsync(RegistryPaths.QuarantineRoot, cancellationToken) ?? [])
        {
            foreach (var encoded in await driver.ListAsync($"{RegistryPaths.QuarantineRoot}/{algorithm}", cancellationToken) ?? [])
            {
                if (Digest.TryParse($"{algorithm}:{encoded}", out var digest) &&
                    await driver.StatAsync(RegistryPaths.QuarantinedBlobData(digest), cancellationToken) is { IsDirectory: false } entry)
                {
                    result.Add((digest, entry.LastModified, entry.Size));
                }
            }
        }

        return result;
    }

    /// <summary>Deletes quarantined data that has not been restored or re-quarantined since <paramref name="cutoff"/>.</summary>
    public async Task<bool> PurgeAsync(Digest digest, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var result = await driver.DeleteIfUnmodifiedSinceAsync(RegistryPaths.QuarantinedBlobData(digest), cutoff, cancellationToken);
        return result == ConditionalDeleteResult.Deleted;
    }
}
