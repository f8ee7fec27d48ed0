using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>podman (as root, vfs storage, a private --root) pushes to and pulls from berth.</summary>
public sealed class PodmanTests : BerthOnDiskTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    // podman refuses a --runroot longer than 50 characters.
    private readonly TempDirectory _podmanRun = new("pm");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _podmanRun.Dispose();
    }

    [Fact]
    public async Task Podman_pushes_an_image_and_pulls_it_back_with_the_same_content()
    {
        var source = new OciLayout(Temp.Combine("src"));
        source.AddImage("v1", 2, 50_000, seed: 41);
        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{Registry.Host}/podman/seed:v1");

        await PodmanAsync("pull", "--tls-verify=false", $"{Registry.Host}/podman/seed:v1");
        await PodmanAsync("tag", $"{Registry.Host}/podman/seed:v1", $"{Registry.Host}/podman/pushed:v2");
        await PodmanAsync("push", "--tls-verify=false", $"{Registry.Host}/podman/pushed:v2");
        await PodmanAsync("rmi", "--all", "--force");
        await PodmanAsync("pull", "--tls-verify=false", $"{Registry.Host}/podman/pushed:v2");

        var seedId = (await PodmanAsync("image", "inspect", "--format", "{{.Digest}} {{.RootFS.Layers}}", $"{Registry.Host}/podman/pushed:v2")).Trim();
        Assert.Contains("sha256:", seedId, StringComparison.Ordinal);
        var tags = await Skopeo.ListTagsAsync($"docker://{Registry.Host}/podman/pushed");
        Assert.Equal(["v2"], tags);
    }

    private async Task<string> PodmanAsync(params string[] arguments)
    {
        string[] all = ["--root", Temp.Combine("podman-root"), "--runroot", _podmanRun.Path, "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "none", .. arguments];
        return (await ExternalProcess.RunAsync("podman", all, Timeout)).EnsureSuccess("podman " + string.Join(' ', arguments)).Output;
    }
}
