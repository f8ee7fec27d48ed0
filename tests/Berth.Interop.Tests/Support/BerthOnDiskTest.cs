namespace Berth.Interop.Tests.Support;

/// <summary>A test class that runs against one berth process on filesystem storage in a temporary directory.</summary>
public abstract class BerthOnDiskTest : IAsyncLifetime
{
    protected TempDirectory Temp { get; } = new();

    private protected RegistryProcess Registry { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Registry = await RegistryProcess.StartBerthOnDiskAsync(Temp);

    public virtual async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        Temp.Dispose();
    }
}
