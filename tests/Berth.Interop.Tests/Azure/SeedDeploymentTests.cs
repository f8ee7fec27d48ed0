using System.Text;
using Berth.Interop.Tests.Support;
using Berth.Testing;

namespace Berth.Interop.Tests.Azure;

/// <summary>
/// The deployment this project exists for: berth started with exactly the seed's registry:2 variables
/// (plus the emulator's endpoint), pushed to and pulled from with skopeo, and the container holding registry:2's
/// blob names afterwards, so registry:2 could serve it as well.
/// </summary>
[Collection(AzuriteInteropCollection.Name)]
public sealed class SeedDeploymentTests(Azurite azurite) : IDisposable
{
    private const string Container = "registry";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Seed_variables_start_berth_on_azure_and_images_land_under_registry2_blob_names()
    {
        var container = EmulatorContainer.Open(azurite, Container);
        Assert.False(await container.ExistsAsync(), "the container must not exist yet: berth is to create it");
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("v1", layerCount: 3, layerBytes: 400_000, seed: 101);
        source.AddMultiArchIndex("multi", 110, "amd64", "arm64");

        await using (var berth = await BerthOnAzurite.StartAsync(azurite, Container))
        {
            await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{berth.Host}/team/app:v1");
            await Skopeo.CopyAsync(source.Reference("multi"), $"docker://{berth.Host}/multi/app:latest", "--all");

            await Skopeo.CopyAsync($"docker://{berth.Host}/team/app:v1", $"oci:{_temp.Combine("back")}:v1");
            await Skopeo.CopyAsync($"docker://{berth.Host}/multi/app:latest", $"oci:{_temp.Combine("back")}:multi", "--all");
            Assert.Equal(
                LayoutImage.Read(_temp.Combine("src"), "v1").Digest,
                OciLayout.Sha256(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"docker://{berth.Host}/team/app:v1"))));
            Assert.Equal(
                LayoutImage.Read(_temp.Combine("src"), "multi").Digest,
                OciLayout.Sha256(Encoding.UTF8.GetBytes(await Skopeo.InspectRawAsync($"docker://{berth.Host}/multi/app:latest"))));
        }

        SkopeoPushPullSuite.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("back"));

        var names = new Registry2BlobNames(prefix: string.Empty);
        var stored = await container.NamesAsync();
        Assert.All(stored, n => Assert.StartsWith(names.Root, n, StringComparison.Ordinal));

        // Every blob skopeo pushed — layers, configs, manifests, the index — is stored whole under its digest.
        foreach (var file in Directory.GetFiles(_temp.Combine("src", "blobs", "sha256")))
        {
            var digest = "sha256:" + Path.GetFileName(file);
            Assert.Contains(names.BlobData(digest), stored);
            Assert.Equal(digest, OciLayout.Sha256(await container.ReadAsync(names.BlobData(digest))));
        }

        await AssertImageLinksAsync(container, names, "team/app", "v1", LayoutImage.Read(_temp.Combine("src"), "v1"));
        await AssertImageLinksAsync(container, names, "multi/app", "latest", LayoutImage.Read(_temp.Combine("src"), "multi"));
        Assert.DoesNotContain(stored, n => n.Contains("/_uploads/", StringComparison.Ordinal) && n.EndsWith("/data", StringComparison.Ordinal));
    }

    private static async Task AssertImageLinksAsync(EmulatorContainer container, Registry2BlobNames names, string repository, string tag, LayoutImage image)
    {
        // registry:2 reads a link as the digest's bytes exactly; a trailing newline would not parse.
        Assert.Equal(Encoding.ASCII.GetBytes(image.Digest), await container.ReadAsync(names.TagCurrentLink(repository, tag)));
        Assert.Equal(Encoding.ASCII.GetBytes(image.Digest), await container.ReadAsync(names.TagIndexLink(repository, tag, image.Digest)));
        await AssertManifestLinksAsync(container, names, repository, image);
    }

    private static async Task AssertManifestLinksAsync(EmulatorContainer container, Registry2BlobNames names, string repository, LayoutImage image)
    {
        Assert.Equal(Encoding.ASCII.GetBytes(image.Digest), await container.ReadAsync(names.RevisionLink(repository, image.Digest)));
        foreach (var blob in image.Blobs)
        {
            Assert.Equal(Encoding.ASCII.GetBytes(blob), await container.ReadAsync(names.LayerLink(repository, blob)));
        }

        foreach (var child in image.Children)
        {
            await AssertManifestLinksAsync(container, names, repository, child);
        }
    }
}
