using Berth.Interop.Tests.Support;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Collection;

/// <summary>The stress test on the filesystem driver, with a zero grace period and with the default one.</summary>
public sealed class FilesystemOnlineCollectionStressTests(ITestOutputHelper output) : OnlineCollectionStressSuite(output)
{
    [Fact]
    public async Task With_a_zero_grace_period_every_successful_push_stays_intact_and_nothing_unreferenced_remains() =>
        await RunAsync("0s");

    [Fact]
    public async Task With_the_default_grace_period_no_push_fails()
    {
        var result = await RunAsync("24h");

        Assert.Equal(0, result.FailedPushes);
    }

    private protected override Task<RegistryProcess> StartAsync(TempDirectory temp, Dictionary<string, string> environment)
    {
        var port = FreePort.Next();
        environment["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = temp.Combine("store");
        environment["REGISTRY_HTTP_ADDR"] = $"127.0.0.1:{port}";
        return RegistryProcess.StartBerthAsync(configPath: null, port, environment);
    }

    private protected override Task<IReadOnlyList<string>> ListStoredBlobsAsync(TempDirectory temp)
    {
        var blobs = Path.Combine(temp.Combine("store"), "docker", "registry", "v2", "blobs", "sha256");
        IReadOnlyList<string> found = Directory.Exists(blobs)
            ? [.. Directory.EnumerateFiles(blobs, "data", SearchOption.AllDirectories).Select(f => "sha256:" + Path.GetFileName(Path.GetDirectoryName(f)))]
            : [];
        return Task.FromResult(found);
    }
}
