using Berth.Interop.Tests.Support;
using Berth.Testing;

namespace Berth.Interop.Tests.Azure;

/// <summary>The skopeo push/pull cases against berth on the Azure driver, started with the seed's variables, on the emulator.</summary>
[Collection(AzuriteInteropCollection.Name)]
public sealed class AzureSkopeoPushPullTests(Azurite azurite) : SkopeoPushPullSuite
{
    private protected override Task<RegistryProcess> StartBerthAsync(TempDirectory temp) =>
        BerthOnAzurite.StartAsync(azurite, BerthOnAzurite.NewContainerName());
}
