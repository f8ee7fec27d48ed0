using Berth.Interop.Tests.Support;
using Berth.Testing;

namespace Berth.Interop.Tests.Azure;

/// <summary>Two instances on one Azure container, as two VMs behind a load balancer would run.</summary>
[Collection(AzuriteInteropCollection.Name)]
public sealed class SharedAzureStoreTests(Azurite azurite) : SharedStoreSuite
{
    private readonly string _container = BerthOnAzurite.NewContainerName();

    private protected override async Task<(RegistryProcess First, RegistryProcess Second)> StartTwoAsync(TempDirectory temp) =>
        (await BerthOnAzurite.StartAsync(azurite, _container), await BerthOnAzurite.StartAsync(azurite, _container));
}
