using Berth.Testing;

namespace Berth.Storage.Azure.Tests;

/// <summary>One emulator for the test classes that only need a running one; each test uses its own container.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "azurite";
}
