using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Berth.Core.Configuration;
using Berth.Core.Storage;
using Berth.Core.Storage.Filesystem;
using Berth.Storage.Azure;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Server.Tests.Infrastructure;

/// <summary>
/// Picks the storage driver the whole protocol suite runs on: the filesystem by default, the Azure driver against
/// the real Azurite emulator when BERTH_TEST_STORAGE=azure (scripts/test.sh runs the suite both ways).
/// </summary>
public static class TestStorage
{
    private static readonly Lazy<Task<Azurite>> SharedAzurite = new(StartAzuriteAsync);

    public static bool UseAzure => Environment.GetEnvironmentVariable("BERTH_TEST_STORAGE") == "azure";

    /// <summary>A driver for <paramref name="root"/>; on Azure the same root always maps to the same container, so restarts see the same data.</summary>
    public static async Task<IStorageDriver> CreateDriverAsync(string root)
    {
        if (!UseAzure)
        {
            return new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = root });
        }

        var azurite = await SharedAzurite.Value;
        var container = ContainerFor(root);
        var yaml = $"""
            accountname: {Azurite.AccountName}
            accountkey: {Azurite.AccountKey}
            container: {container}
            serviceurl: {azurite.BlobServiceUri}
            """;
        var section = new ConfigSection(ConfigTreeReader.ReadDocument(yaml, "test"), "storage.azure");

        // Protocol tests read blob bytes from the registry itself; redirects have their own tests.
        return await AzureStorageDriverFactory.CreateAsync(section, redirectDisabled: true, NullLoggerFactory.Instance);
    }

    /// <summary>Takes the store away under a running registry: the directory, or the whole Azure container.</summary>
    public static async Task RemoveStoreAsync(string root)
    {
        if (!UseAzure)
        {
            Directory.Delete(root, recursive: true);
            return;
        }

        var azurite = await SharedAzurite.Value;
        await new BlobContainerClient(azurite.ConnectionString, ContainerFor(root)).DeleteIfExistsAsync();
    }

    /// <summary>Gives an empty store back after <see cref="RemoveStoreAsync"/>: the directory, or the container.</summary>
    public static async Task RestoreStoreAsync(string root)
    {
        if (!UseAzure)
        {
            Directory.CreateDirectory(root);
            return;
        }

        var azurite = await SharedAzurite.Value;
        var container = new BlobContainerClient(azurite.ConnectionString, ContainerFor(root));

        // Azurite refuses to create a container while its deletion is still settling.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await container.CreateIfNotExistsAsync();
                return;
            }
            catch (Azure.RequestFailedException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string ContainerFor(string root) =>
        "t" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..30];

    private static async Task<Azurite> StartAzuriteAsync()
    {
        var azurite = new Azurite();
        await azurite.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return azurite;
    }
}
