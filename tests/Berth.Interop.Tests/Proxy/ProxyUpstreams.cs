using System.Text.Json;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests.Proxy;

/// <summary>Real upstreams for the pull-through tests: Debian's registry:2 with images pushed by skopeo.</summary>
internal static class ProxyUpstreams
{
    /// <summary>registry:2 on a free port with its own store; <paramref name="extra"/> adds config (auth).</summary>
    public static async Task<RegistryProcess> StartRegistry2Async(TempDirectory temp, string name, string extra = "")
    {
        var port = FreePort.Next();
        var directory = temp.Combine(name);
        Directory.CreateDirectory(directory);
        return await RegistryProcess.StartRegistry2Async(RegistryProcess.WriteConfig(directory, temp.Combine(name + "-store"), port, extra), port);
    }

    /// <summary>Berth on a free port whose config.yml ends with <paramref name="proxy"/>.</summary>
    public static Task<RegistryProcess> StartBerthAsync(TempDirectory temp, string name, string proxy, string? store = null)
    {
        var port = FreePort.Next();
        var directory = temp.Combine(name);
        Directory.CreateDirectory(directory);
        return RegistryProcess.StartBerthAsync(RegistryProcess.WriteConfig(directory, store ?? temp.Combine(name + "-store"), port, proxy), port);
    }

    /// <summary>The layer digests of an image written by <see cref="OciLayout"/>.</summary>
    public static IReadOnlyList<string> Layers(string layoutRoot, string manifestDigest)
    {
        var path = Path.Combine(layoutRoot, "blobs", "sha256", manifestDigest["sha256:".Length..]);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(path));
        return manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    }

    /// <summary>How many GETs of <paramref name="path"/> registry:2's access log shows, once it stops growing.</summary>
    public static async Task<int> CountGetsAsync(RegistryProcess registry, string path)
    {
        var needle = $"\"GET {path} ";
        var count = 0;
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(100);
            var now = CountOf(registry.Log, needle);
            if (now == count && now > 0)
            {
                break;
            }

            count = now;
        }

        return count;
    }

    private static int CountOf(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
