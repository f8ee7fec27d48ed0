using System.Net.Http.Json;
using System.Text.Json;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// Berth and the real registry:2 (Debian's docker-registry 2.8.2) serve each other's storage directory:
/// the layout is the same byte for byte.
/// </summary>
public sealed class Registry2InteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Images_pushed_to_berth_are_pulled_from_registry2_on_the_same_directory()
    {
        var store = _temp.Combine("store");
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("v1", 3, 200_000, seed: 21);
        source.AddMultiArchIndex("multi", 22, "amd64", "arm64");

        await using (var berth = await RegistryProcess.StartBerthOnDiskAsync(_temp, store))
        {
            await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{berth.Host}/shared/app:v1");
            await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{berth.Host}/other:v1", "--format", "v2s2");
            await Skopeo.CopyAsync(source.Reference("multi"), $"docker://{berth.Host}/shared/app:multi", "--all");
        }

        var registryPort = FreePort.Next();
        await using var registry2 = await RegistryProcess.StartRegistry2Async(RegistryProcess.WriteConfig(_temp.Path, store, registryPort), registryPort);
        await Skopeo.CopyAsync($"docker://{registry2.Host}/shared/app:v1", $"oci:{_temp.Combine("back")}:v1");
        await Skopeo.CopyAsync($"docker://{registry2.Host}/shared/app:multi", $"oci:{_temp.Combine("back")}:multi", "--all");
        await Skopeo.CopyAsync($"docker://{registry2.Host}/other:v1", $"dir:{_temp.Combine("back-docker")}");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("back"));

        using var client = new HttpClient();
        var catalog = await client.GetFromJsonAsync<JsonElement>(new Uri(registry2.BaseUri, "v2/_catalog"));
        Assert.Equal(["other", "shared/app"], catalog.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Images_pushed_to_registry2_are_served_by_berth_and_listings_agree()
    {
        var store = _temp.Combine("store2");
        var source = new OciLayout(_temp.Combine("src2"));
        source.AddImage("v1", 2, 150_000, seed: 31);
        source.AddImage("v2", 2, 150_000, seed: 32);

        var registryPort = FreePort.Next();
        var registryConfig = RegistryProcess.WriteConfig(_temp.Path, store, registryPort);
        string registryCatalog, registryTags;
        await using (var registry2 = await RegistryProcess.StartRegistry2Async(registryConfig, registryPort))
        {
            foreach (var (tag, repository) in new[] { ("v1", "library/base"), ("v2", "library/base"), ("v1", "zeta"), ("v1", "alpha/beta/gamma") })
            {
                await Skopeo.CopyAsync(source.Reference(tag), $"docker://{registry2.Host}/{repository}:{tag}");
            }

            (registryCatalog, registryTags) = await ListingsAsync(registry2);
        }

        await using var berth = await RegistryProcess.StartBerthOnDiskAsync(_temp, store);
        await Skopeo.CopyAsync($"docker://{berth.Host}/library/base:v2", $"oci:{_temp.Combine("back2")}:v2");
        await Skopeo.CopyAsync($"docker://{berth.Host}/alpha/beta/gamma:v1", $"oci:{_temp.Combine("back2")}:v1");
        SkopeoPushPullTests.AssertSameBlobs(_temp.Combine("src2"), _temp.Combine("back2"));

        var (berthCatalog, berthTags) = await ListingsAsync(berth);
        Assert.Equal(registryCatalog, berthCatalog);
        Assert.Equal(registryTags, berthTags);
    }

    private static async Task<(string Catalog, string Tags)> ListingsAsync(RegistryProcess registry)
    {
        using var client = new HttpClient();
        var catalog = await client.GetFromJsonAsync<JsonElement>(new Uri(registry.BaseUri, "v2/_catalog"));
        var tags = await client.GetFromJsonAsync<JsonElement>(new Uri(registry.BaseUri, "v2/library/base/tags/list"));
        return (catalog.GetProperty("repositories").ToString(), tags.GetProperty("tags").ToString());
    }
}
