using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>The skopeo push/pull cases against berth on the filesystem driver.</summary>
public sealed class SkopeoPushPullTests : SkopeoPushPullSuite
{
    private protected override Task<RegistryProcess> StartBerthAsync(TempDirectory temp)
    {
        var port = FreePort.Next();
        return RegistryProcess.StartBerthAsync(RegistryProcess.WriteConfig(temp.Path, temp.Combine("store"), port), port);
    }
}
