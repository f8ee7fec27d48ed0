using Berth.Core.Storage;
using Berth.Testing;
using Berth.Testing.Storage;

namespace Berth.Storage.Azure.Tests;

/// <summary>The storage-driver contract against the real emulator.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureDriverTests(Azurite azurite) : StorageDriverTests
{
    protected override async Task<IStorageDriver> CreateDriverAsync() =>
        await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite));
}
