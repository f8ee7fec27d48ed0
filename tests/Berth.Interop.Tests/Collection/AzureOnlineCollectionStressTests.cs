using Azure.Storage.Blobs;
using Berth.Interop.Tests.Azure;
using Berth.Interop.Tests.Support;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Collection;

/// <summary>The stress test on the Azure driver against Azurite, with a zero grace period.</summary>
[Collection(AzuriteInteropCollection.Name)]
public sealed class AzureOnlineCollectionStressTests(Azurite azurite, ITestOutputHelper output) : OnlineCollectionStressSuite(output)
{
    private readonly string _container = BerthOnAzurite.NewContainerName();

    [Fact]
    public async Task With_a_zero_grace_period_every_successful_push_stays_intact_and_nothing_unreferenced_remains() =>
        await RunAsync("0s");

    private protected override Task<RegistryProcess> StartAsync(TempDirectory temp, Dictionary<string, string> environment)
    {
        var port = FreePort.Next();
        foreach (var (name, value) in BerthOnAzurite.SeedEnvironment(azurite, _container, port))
        {
            environment[name] = value;
        }

        return RegistryProcess.StartBerthAsync(configPath: null, port, environment);
    }

    private protected override async Task<IReadOnlyList<string>> ListStoredBlobsAsync(TempDirectory temp)
    {
        var container = new BlobContainerClient(azurite.ConnectionString, _container);
        var found = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            // Either key layout: "/docker/..." (2.8) or "docker/..." (3.x).
            var name = item.Name.TrimStart('/');
            if (name.StartsWith("docker/registry/v2/blobs/sha256/", StringComparison.Ordinal) && name.EndsWith("/data", StringComparison.Ordinal))
            {
                found.Add("sha256:" + name.Split('/')[^2]);
            }
        }

        return found;
    }
}
