using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Azure;

/// <summary>
/// Signs short-lived read-only URLs for blobs: with the account key where the driver has one, else with a user
/// delegation key (Entra ID credentials), as registry:2 3.x does. Returns null when neither is possible.
/// The SAS is built from the exact blob name and URL, since the SDK's own helper drops a leading '/'.
/// </summary>
internal sealed class BlobSasSigner(BlobClients clients, BlobServiceClient service, bool canUseDelegation, ILogger logger)
{
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan DelegationKeyRenewal = TimeSpan.FromHours(1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(5);

    // SAS start times are set back a little so a server whose clock is slightly behind ours accepts the URL.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private UserDelegationKey? _delegationKey;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;

    public async Task<Uri?> SignReadAsync(string blobName, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var uri = clients.UriOf(blobName);
        var now = DateTimeOffset.UtcNow;
        var builder = new BlobSasBuilder(BlobSasPermissions.Read, now + lifetime)
        {
            BlobContainerName = clients.Container.Name,
            BlobName = blobName,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        SasQueryParameters sas;
        if (clients.SharedKey is { } key)
        {
            sas = builder.ToSasQueryParameters(key);
        }
        else if (canUseDelegation && await GetDelegationKeyAsync(cancellationToken) is { } delegationKey)
        {
            sas = builder.ToSasQueryParameters(delegationKey, service.AccountName);
        }
        else
        {
            return null;
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path) + "?" + sas);
    }

    /// <summary>
    /// The URL a copy reads its source from. With the account key the copy request itself authorizes a source in the
    /// same account; with Entra ID credentials the source is signed with a user delegation key where possible.
    /// </summary>
    public async Task<Uri> SignCopySourceAsync(string blobName, CancellationToken cancellationToken)
    {
        if (clients.SharedKey is not null || !canUseDelegation)
        {
            return clients.UriOf(blobName);
        }

        return await SignReadAsync(blobName, TimeSpan.FromHours(1), cancellationToken) ?? clients.UriOf(blobName);
    }

    private async Task<UserDelegationKey?> GetDelegationKeyAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (_delegationKey is { } cached && cached.SignedExpiresOn - now > DelegationKeyRenewal)
        {
            return cached;
        }

        if (now < _nextAttempt)
        {
            return null;
        }

        // Two requests renewing at once both fetch a key; either is valid, so no lock is needed.
        try
        {
            var key = (await service.GetUserDelegationKeyAsync(now - ClockSkew, now + DelegationKeyLifetime, cancellationToken)).Value;
            _delegationKey = key;
            return key;
        }
        catch (RequestFailedException e)
        {
            // Without the "generate user delegation key" permission the registry still works, streaming blobs itself.
            _nextAttempt = now + RetryAfterFailure;
            AzureDriverLog.SigningUnavailable(logger, FaultBoundary.Describe(e));
            return null;
        }
    }
}
