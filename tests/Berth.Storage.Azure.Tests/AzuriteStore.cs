using Azure.Storage.Blobs;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.Azure.Tests;

/// <summary>Options and clients for a fresh container in the emulator.</summary>
internal static class AzuriteStore
{
    public static string NewContainerName() => "t" + Guid.NewGuid().ToString("N");

    private static readonly AzureDriverOptions Defaults = new() { Container = "defaults" };

    public static AzureDriverOptions Options(
        Azurite azurite, string? container = null, string rootDirectory = "", TimeSpan? redirectLifetime = null, int? compactAfterBlocks = null,
        IReadOnlyList<global::Azure.Core.Pipeline.HttpPipelinePolicy>? policies = null) => new()
    {
        AccountName = Azurite.AccountName,
        AccountKey = Azurite.AccountKey,
        Container = container ?? NewContainerName(),
        ServiceUri = azurite.BlobServiceUri,
        RootDirectory = rootDirectory,
        Credential = AzureCredentialKind.SharedKey,
        CredentialSource = "test key",
        RedirectLifetime = redirectLifetime ?? Defaults.RedirectLifetime,
        CompactAfterBlocks = compactAfterBlocks ?? Defaults.CompactAfterBlocks,
        ExtraPolicies = policies ?? [],
    };

    public static Task<AzureBlobDriver> CreateDriverAsync(AzureDriverOptions options, bool redirectDisabled = false) =>
        AzureStorageDriverFactory.CreateDriverAsync(options, redirectDisabled, NullLoggerFactory.Instance, CancellationToken.None);

    public static BlobContainerClient Container(Azurite azurite, string name) =>
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(name);
}
