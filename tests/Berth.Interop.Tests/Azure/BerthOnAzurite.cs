using System.Globalization;
using Berth.Interop.Tests.Support;
using Berth.Testing;

namespace Berth.Interop.Tests.Azure;

/// <summary>
/// Starts the berth process as the seed deployment starts registry:2 — no config file, only REGISTRY_STORAGE=azure and
/// the account name, key and container variables — plus the emulator's endpoint and a loopback listen address.
/// </summary>
internal static class BerthOnAzurite
{
    public static Dictionary<string, string> SeedEnvironment(Azurite azurite, string container, int port) => new()
    {
        ["REGISTRY_STORAGE"] = "azure",
        ["REGISTRY_STORAGE_AZURE_ACCOUNTNAME"] = Azurite.AccountName,
        ["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"] = Azurite.AccountKey,
        ["REGISTRY_STORAGE_AZURE_CONTAINER"] = container,
        ["REGISTRY_STORAGE_AZURE_SERVICEURL"] = azurite.BlobServiceUri.ToString(),
        ["REGISTRY_HTTP_ADDR"] = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
    };

    public static Task<RegistryProcess> StartAsync(Azurite azurite, string container, string? rootDirectory = null)
    {
        var port = FreePort.Next();
        var environment = SeedEnvironment(azurite, container, port);
        if (rootDirectory is not null)
        {
            environment["REGISTRY_STORAGE_AZURE_ROOTDIRECTORY"] = rootDirectory;
        }

        return RegistryProcess.StartBerthAsync(configPath: null, port, environment);
    }

    public static string NewContainerName() => "i" + Guid.NewGuid().ToString("N");
}
