using Berth.Testing;

namespace Berth.Interop.Tests.Azure;

/// <summary>One emulator for the Azure interop classes that only need a running one; each test uses its own container.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteInteropCollection : ICollectionFixture<Azurite>
{
    public const string Name = "azurite-interop";
}
