using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Berth.Testing;

namespace Berth.Storage.Azure.Tests;

/// <summary>registry:2 2.8 named blobs "/docker/…", 3.x "docker/…" under rootdirectory; Berth serves and extends either.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureLayoutTests(Azurite azurite)
{
    private const string TagLink = "docker/registry/v2/repositories/library/app/_manifests/tags/v1/current/link";
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task A_container_written_by_registry_2_8_is_read_and_extended_with_leading_slash_names()
    {
        var name = AzuriteStore.NewContainerName();
        var container = await CreateContainerAsync(name);
        await LegacyBlob(container, "/" + TagLink).UploadAsync(BinaryData.FromString(Digest));

        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite, name));
        await driver.PutContentAsync("/docker/registry/v2/repositories/library/app/_manifests/tags/v2/current/link", Encoding.UTF8.GetBytes(Digest));

        Assert.True(driver.Layout.LeadingSlash);
        Assert.Equal(Digest, Encoding.UTF8.GetString((await driver.GetContentAsync("/" + TagLink))!));
        Assert.Equal(["library"], await driver.ListAsync("/docker/registry/v2/repositories"));
        Assert.Equal(["v1", "v2"], await driver.ListAsync("/docker/registry/v2/repositories/library/app/_manifests/tags"));
        Assert.All(await BlobNamesAsync(container), n => Assert.StartsWith("/docker/registry/v2/", n, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uploads_moves_redirects_and_deletes_work_on_leading_slash_names()
    {
        var name = AzuriteStore.NewContainerName();
        var container = await CreateContainerAsync(name);
        await LegacyBlob(container, "/" + TagLink).UploadAsync(BinaryData.FromString(Digest));
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite, name));
        var upload = "/docker/registry/v2/repositories/library/app/_uploads/u/data";
        var blob = "/docker/registry/v2/blobs/sha256/01/0123/data";

        await using (var writer = await driver.OpenWriterAsync(upload, append: false))
        {
            await writer.WriteAsync("hello "u8.ToArray());
            await writer.CommitAsync();
        }

        await using (var writer = await driver.OpenWriterAsync(upload, append: true))
        {
            await writer.WriteAsync("world"u8.ToArray());
            await writer.CommitAsync();
        }

        await driver.MoveAsync(upload, blob);
        var url = await driver.GetRedirectUrlAsync(blob);
        using var http = new HttpClient();

        Assert.Equal("hello world", await http.GetStringAsync(url));
        Assert.Equal(["/docker/registry/v2/blobs/sha256/01/0123/data", "/" + TagLink], await BlobNamesAsync(container));
        Assert.True(await driver.DeleteAsync("/docker/registry/v2/repositories/library"));
        Assert.Equal(["/docker/registry/v2/blobs/sha256/01/0123/data"], await BlobNamesAsync(container));
    }

    [Fact]
    public async Task A_container_written_by_registry_3_under_a_root_directory_is_read_and_extended_in_that_form()
    {
        var name = AzuriteStore.NewContainerName();
        var container = await CreateContainerAsync(name);
        await container.GetBlobClient("berth/" + TagLink).UploadAsync(BinaryData.FromString(Digest));

        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite, name, rootDirectory: "berth"));
        await driver.PutContentAsync("/docker/registry/v2/blobs/sha256/01/0123/data", "layer"u8.ToArray());

        Assert.False(driver.Layout.LeadingSlash);
        Assert.Equal(Digest, Encoding.UTF8.GetString((await driver.GetContentAsync("/" + TagLink))!));
        Assert.Equal(
            ["berth/docker/registry/v2/blobs/sha256/01/0123/data", "berth/" + TagLink],
            await BlobNamesAsync(container));
    }

    [Fact]
    public async Task A_new_container_gets_names_without_a_leading_slash()
    {
        var name = AzuriteStore.NewContainerName();

        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite, name));
        await driver.PutContentAsync("/" + TagLink, Encoding.UTF8.GetBytes(Digest));
        await using (var writer = await driver.OpenWriterAsync("/docker/registry/v2/repositories/library/app/_uploads/u/data", append: false))
        {
            await writer.WriteAsync("abc"u8.ToArray());
            await writer.CommitAsync();
        }

        Assert.False(driver.Layout.LeadingSlash);
        Assert.Equal(
            ["docker/registry/v2/repositories/library/app/_manifests/tags/v1/current/link", "docker/registry/v2/repositories/library/app/_uploads/u/data"],
            await BlobNamesAsync(AzuriteStore.Container(azurite, name)));
    }

    private async Task<BlobContainerClient> CreateContainerAsync(string name)
    {
        var container = AzuriteStore.Container(azurite, name);
        await container.CreateAsync();
        return container;
    }

    /// <summary>The SDK drops a leading '/' from blob names; 2.8's Go client sent "container//docker/…", so this does too.</summary>
    private static BlobClient LegacyBlob(BlobContainerClient container, string name) =>
        new(new Uri($"{container.Uri}/{name}"), new StorageSharedKeyCredential(Azurite.AccountName, Azurite.AccountKey));

    private static async Task<List<string>> BlobNamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken: default))
        {
            names.Add(blob.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
