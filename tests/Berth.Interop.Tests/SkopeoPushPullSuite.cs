using System.Text.Json;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// Real images pushed and pulled with skopeo against the real berth process; each storage driver subclasses this
/// with the way it starts berth, so the same cases prove every driver.
/// </summary>
public abstract class SkopeoPushPullSuite : IAsyncLifetime
{
    private RegistryProcess _berth = null!;

    private protected TempDirectory Temp { get; } = new();

    public async Task InitializeAsync() => _berth = await StartBerthAsync(Temp);

    public async Task DisposeAsync()
    {
        await _berth.DisposeAsync();
        Temp.Dispose();
    }

    /// <summary>Starts berth on the driver under test; <paramref name="temp"/> is this test's scratch folder.</summary>
    private protected abstract Task<RegistryProcess> StartBerthAsync(TempDirectory temp);

    [Fact]
    public async Task Oci_image_with_several_layers_round_trips_identical()
    {
        var source = new OciLayout(Temp.Combine("src"));
        var manifestDigest = source.AddImage("v1", layerCount: 3, layerBytes: 300_000, seed: 1);

        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{_berth.Host}/team/app:v1");
        await Skopeo.CopyAsync($"docker://{_berth.Host}/team/app:v1", $"oci:{Temp.Combine("back")}:v1");

        var pushed = await Skopeo.InspectRawAsync($"docker://{_berth.Host}/team/app:v1");
        Assert.Equal(manifestDigest, OciLayout.Sha256(System.Text.Encoding.UTF8.GetBytes(pushed)));
        AssertSameBlobs(Temp.Combine("src"), Temp.Combine("back"));
    }

    [Fact]
    public async Task Docker_schema2_image_round_trips_and_is_served_as_docker_media_type()
    {
        var source = new OciLayout(Temp.Combine("src-docker"));
        source.AddImage("v2", layerCount: 2, layerBytes: 100_000, seed: 2);

        await Skopeo.CopyAsync(source.Reference("v2"), $"docker://{_berth.Host}/docker/app:v2", "--format", "v2s2");
        var raw = await Skopeo.InspectRawAsync($"docker://{_berth.Host}/docker/app:v2");
        using var manifest = JsonDocument.Parse(raw);
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", manifest.RootElement.GetProperty("mediaType").GetString());

        await Skopeo.CopyAsync($"docker://{_berth.Host}/docker/app:v2", $"dir:{Temp.Combine("docker-back")}");
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            var digest = layer.GetProperty("digest").GetString()!;
            var bytes = File.ReadAllBytes(Temp.Combine("docker-back", digest["sha256:".Length..]));
            Assert.Equal(digest, OciLayout.Sha256(bytes));
        }
    }

    [Fact]
    public async Task Multi_arch_index_is_pushed_whole_and_each_platform_pulls()
    {
        var source = new OciLayout(Temp.Combine("src-multi"));
        var indexDigest = source.AddMultiArchIndex("multi", 10, "amd64", "arm64");

        await Skopeo.CopyAsync(source.Reference("multi"), $"docker://{_berth.Host}/multi/app:latest", "--all");
        var raw = await Skopeo.InspectRawAsync($"docker://{_berth.Host}/multi/app:latest");
        Assert.Equal(indexDigest, OciLayout.Sha256(System.Text.Encoding.UTF8.GetBytes(raw)));

        await Skopeo.CopyAsync($"docker://{_berth.Host}/multi/app:latest", $"oci:{Temp.Combine("arm")}:arm", "--override-arch", "arm64");
        await Skopeo.CopyAsync($"docker://{_berth.Host}/multi/app:latest", $"oci:{Temp.Combine("all")}:all", "--all");
        AssertSameBlobs(Temp.Combine("src-multi"), Temp.Combine("all"));
    }

    [Fact]
    public async Task Tags_listed_by_skopeo_are_the_tags_pushed()
    {
        var source = new OciLayout(Temp.Combine("src-tags"));
        source.AddImage("a", 1, 1000, seed: 3);
        foreach (var tag in new[] { "1.0", "latest", "0.9" })
        {
            await Skopeo.CopyAsync(source.Reference("a"), $"docker://{_berth.Host}/tags/app:{tag}");
        }

        Assert.Equal(["0.9", "1.0", "latest"], await Skopeo.ListTagsAsync($"docker://{_berth.Host}/tags/app"));
    }

    /// <summary>Every blob of the source layout is in the copy, byte for byte.</summary>
    internal static void AssertSameBlobs(string sourceLayout, string copyLayout)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(sourceLayout, "blobs", "sha256")))
        {
            var copy = Path.Combine(copyLayout, "blobs", "sha256", Path.GetFileName(file));
            Assert.True(File.Exists(copy), $"blob {Path.GetFileName(file)} missing from the pulled copy");
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(copy));
        }
    }
}
