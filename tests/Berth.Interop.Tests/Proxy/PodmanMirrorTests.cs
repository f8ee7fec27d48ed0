using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests.Proxy;

/// <summary>podman with a registries.conf mirror pulls through Berth, as a node would in front of Docker Hub.</summary>
public sealed class PodmanMirrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    // podman refuses a --runroot longer than 50 characters.
    private readonly TempDirectory _run = new("pm");

    public void Dispose()
    {
        _temp.Dispose();
        _run.Dispose();
    }

    [Fact]
    public async Task Podman_pulls_through_berth_configured_as_a_mirror_of_the_upstream()
    {
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("v1", 2, 50_000, seed: 61);
        await using var upstream = await ProxyUpstreams.StartRegistry2Async(_temp, "upstream");
        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{upstream.Host}/team/app:v1");
        await using var berth = await ProxyUpstreams.StartBerthAsync(_temp, "berth", $"""
            proxy:
              upstreams:
                - prefix: up
                  remoteurl: http://{upstream.Host}
            """);

        var conf = _temp.Combine("registries.conf");
        await File.WriteAllTextAsync(conf, $"""
            [[registry]]
            location = "{upstream.Host}"
            insecure = true

            [[registry.mirror]]
            location = "{berth.Host}/up"
            insecure = true
            """);
        string[] arguments = ["--root", _temp.Combine("podman-root"), "--runroot", _run.Path, "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "none",
            "pull", $"{upstream.Host}/team/app:v1"];
        var result = await ExternalProcess.RunAsync("podman", arguments, TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["CONTAINERS_REGISTRIES_CONF"] = conf });
        result.EnsureSuccess("podman pull through the mirror");

        // The mirror served it: Berth cached the image under its prefix.
        Assert.True(Directory.Exists(Path.Combine(_temp.Combine("berth-store"), "docker", "registry", "v2", "repositories", "up", "team", "app", "_manifests")), berth.Log);
    }
}
