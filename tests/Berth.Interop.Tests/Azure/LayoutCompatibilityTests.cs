using System.Text;
using Berth.Interop.Tests.Support;
using Berth.Testing;

namespace Berth.Interop.Tests.Azure;

/// <summary>
/// Containers written as registry:2 writes them — 2.8 with a leading '/' in every blob name (distribution#1247), 3.x
/// without it under <c>rootdirectory</c> — are served in place by berth, and what berth adds to them takes the same
/// form. Debian's registry:2 has no Azure driver, so the layouts are written here from Distribution's paths.go, with
/// blob data as the append blobs registry:2's azure writer leaves and link files as block blobs.
/// </summary>
[Collection(AzuriteInteropCollection.Name)]
public sealed class LayoutCompatibilityTests(Azurite azurite) : IDisposable
{
    private const string Repository = "legacy/app";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public Task A_container_laid_out_by_registry_2_8_is_pulled_identical_and_extended_with_leading_slash_names() =>
        ServeAndExtendAsync(new Registry2BlobNames(prefix: "/"), rootDirectory: null);

    [Fact]
    public Task A_container_laid_out_by_registry_3_under_a_root_directory_is_pulled_identical_and_extended_in_that_form() =>
        ServeAndExtendAsync(new Registry2BlobNames(prefix: "registry-root/"), rootDirectory: "registry-root");

    private async Task ServeAndExtendAsync(Registry2BlobNames names, string? rootDirectory)
    {
        var sourceRoot = _temp.Combine("src");
        var source = new OciLayout(sourceRoot);
        source.AddImage("v1", layerCount: 3, layerBytes: 300_000, seed: 201);
        source.AddMultiArchIndex("multi", 210, "amd64", "arm64");
        source.AddImage("v2", layerCount: 2, layerBytes: 200_000, seed: 202);
        var v1 = LayoutImage.Read(sourceRoot, "v1");
        var multi = LayoutImage.Read(sourceRoot, "multi");
        var v2 = LayoutImage.Read(sourceRoot, "v2");

        var container = EmulatorContainer.Open(azurite, BerthOnAzurite.NewContainerName());
        await container.CreateAsync();
        await WriteTaggedAsync(container, names, "v1", v1, sourceRoot);
        await WriteTaggedAsync(container, names, "multi", multi, sourceRoot);
        Assert.All(await container.NamesAsync(), n => Assert.StartsWith(names.Root, n, StringComparison.Ordinal));

        await using var berth = await BerthOnAzurite.StartAsync(azurite, container.Client.Name, rootDirectory);
        var back = _temp.Combine("back");
        await Skopeo.CopyAsync($"docker://{berth.Host}/{Repository}:v1", $"oci:{back}:v1");
        await Skopeo.CopyAsync($"docker://{berth.Host}/{Repository}:multi", $"oci:{back}:multi", "--all");
        AssertPulledIdentical(v1, sourceRoot, back);
        AssertPulledIdentical(multi, sourceRoot, back);
        Assert.Equal(v1.Digest, OciLayout.Sha256(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"docker://{berth.Host}/{Repository}:v1"))));

        await Skopeo.CopyAsync(source.Reference("v2"), $"docker://{berth.Host}/{Repository}:v2");

        var stored = await container.NamesAsync();
        Assert.All(stored, n => Assert.StartsWith(names.Root, n, StringComparison.Ordinal));
        Assert.Equal(Encoding.ASCII.GetBytes(v2.Digest), await container.ReadAsync(names.TagCurrentLink(Repository, "v2")));
        Assert.Equal(Encoding.ASCII.GetBytes(v2.Digest), await container.ReadAsync(names.TagIndexLink(Repository, "v2", v2.Digest)));
        Assert.Equal(Encoding.ASCII.GetBytes(v2.Digest), await container.ReadAsync(names.RevisionLink(Repository, v2.Digest)));
        foreach (var blob in v2.Blobs)
        {
            Assert.Equal(Encoding.ASCII.GetBytes(blob), await container.ReadAsync(names.LayerLink(Repository, blob)));
            Assert.Equal(blob, OciLayout.Sha256(await container.ReadAsync(names.BlobData(blob))));
        }

        Assert.Equal(["multi", "v1", "v2"], await Skopeo.ListTagsAsync($"docker://{berth.Host}/{Repository}"));
        await Skopeo.CopyAsync($"docker://{berth.Host}/{Repository}:v2", $"oci:{back}:v2");
        AssertPulledIdentical(v2, sourceRoot, back);
    }

    private static async Task WriteTaggedAsync(EmulatorContainer container, Registry2BlobNames names, string tag, LayoutImage image, string layoutRoot)
    {
        await WriteManifestAsync(container, names, image, layoutRoot);
        await container.WriteBlockBlobAsync(names.TagIndexLink(Repository, tag, image.Digest), Encoding.ASCII.GetBytes(image.Digest));
        await container.WriteBlockBlobAsync(names.TagCurrentLink(Repository, tag), Encoding.ASCII.GetBytes(image.Digest));
    }

    private static async Task WriteManifestAsync(EmulatorContainer container, Registry2BlobNames names, LayoutImage image, string layoutRoot)
    {
        foreach (var child in image.Children)
        {
            await WriteManifestAsync(container, names, child, layoutRoot);
        }

        foreach (var blob in image.Blobs)
        {
            await container.WriteAppendBlobAsync(names.BlobData(blob), LayoutImage.BlobBytes(layoutRoot, blob));
            await container.WriteBlockBlobAsync(names.LayerLink(Repository, blob), Encoding.ASCII.GetBytes(blob));
        }

        await container.WriteAppendBlobAsync(names.BlobData(image.Digest), image.Manifest);
        await container.WriteBlockBlobAsync(names.RevisionLink(Repository, image.Digest), Encoding.ASCII.GetBytes(image.Digest));
    }

    private static void AssertPulledIdentical(LayoutImage image, string sourceRoot, string copyRoot)
    {
        foreach (var digest in image.AllDigests())
        {
            var copy = Path.Combine(copyRoot, "blobs", "sha256", digest["sha256:".Length..]);
            Assert.True(File.Exists(copy), $"{digest} missing from the pulled copy");
            Assert.Equal(LayoutImage.BlobBytes(sourceRoot, digest), File.ReadAllBytes(copy));
        }
    }
}
