using System.Net;
using System.Net.Sockets;
using Berth.Core.Configuration;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureStartupTests(Azurite azurite)
{
    [Fact]
    public async Task Start_up_from_the_config_section_creates_the_missing_container_and_the_driver_works()
    {
        var container = AzuriteStore.NewContainerName();
        var section = Section($"""
            accountname: {Azurite.AccountName}
            accountkey: {Azurite.AccountKey}
            container: {container}
            serviceurl: {azurite.BlobServiceUri}
            """);

        var driver = await AzureStorageDriverFactory.CreateAsync(section, redirectDisabled: false, NullLoggerFactory.Instance);

        Assert.True((await AzuriteStore.Container(azurite, container).ExistsAsync()).Value);
        await driver.PutContentAsync("/docker/registry/v2/x", "y"u8.ToArray());
        Assert.Equal("y"u8.ToArray(), await driver.GetContentAsync("/docker/registry/v2/x"));
        await driver.CheckHealthAsync();
    }

    [Fact]
    public async Task A_connection_string_from_AZURE_STORAGE_CONNECTION_STRING_reaches_the_account()
    {
        var options = AzureDriverOptions.Bind(
            Section($"container: {AzuriteStore.NewContainerName()}"),
            name => name == AzureDriverOptions.ConnectionStringVariable ? azurite.ConnectionString : null);

        var driver = await AzureStorageDriverFactory.CreateAsync(options, redirectDisabled: false, NullLoggerFactory.Instance);

        await driver.PutContentAsync("/a", "b"u8.ToArray());
        Assert.Equal("b"u8.ToArray(), await driver.GetContentAsync("/a"));
    }

    [Fact]
    public async Task A_wrong_account_key_fails_start_up_with_one_clear_line()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var section = Section($"""
            accountname: {Azurite.AccountName}
            accountkey: {wrongKey}
            container: {AzuriteStore.NewContainerName()}
            serviceurl: {azurite.BlobServiceUri}
            """);

        var error = await Assert.ThrowsAsync<ConfigurationException>(
            () => AzureStorageDriverFactory.CreateAsync(section, redirectDisabled: false, NullLoggerFactory.Instance));

        Assert.Contains("rejected the credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("storage.azure.accountkey (REGISTRY_STORAGE_AZURE_ACCOUNTKEY)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task An_unreachable_account_fails_start_up_with_one_clear_line()
    {
        var section = Section($"""
            accountname: {Azurite.AccountName}
            accountkey: {Azurite.AccountKey}
            container: registry
            serviceurl: http://127.0.0.1:{ClosedPort()}/{Azurite.AccountName}
            """);

        var error = await Assert.ThrowsAsync<ConfigurationException>(
            () => AzureStorageDriverFactory.CreateAsync(section, redirectDisabled: false, NullLoggerFactory.Instance));

        Assert.Contains("is unreachable", error.Message, StringComparison.Ordinal);
        Assert.Contains("container 'registry' at http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static ConfigSection Section(string azureSection)
    {
        var indented = string.Join('\n', azureSection.Split('\n').Select(line => "    " + line));
        var tree = ConfigTreeReader.ReadDocument($"version: 0.1\nstorage:\n  azure:\n{indented}\n", "test");
        return new ConfigSection(tree, string.Empty).GetSection("storage")!.GetSection("azure")!;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
