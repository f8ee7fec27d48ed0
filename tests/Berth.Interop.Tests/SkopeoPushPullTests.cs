using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>The skopeo push/pull cases against berth on the filesystem driver.</summary>
public sealed class SkopeoPushPullTests : SkopeoPushPullSuite
{
    private protected override Task<RegistryProcess> StartBerthAsync(TempDirectory temp)
    {
        return RegistryProcess.StartBerthOnDiskAsync(temp);
    }
}
