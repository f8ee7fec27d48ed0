using System.Net;
using Berth.Testing;

namespace Berth.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureRedirectTests(Azurite azurite)
{
    private const string Path = "/docker/registry/v2/blobs/sha256/ab/abcd/data";

    [Fact]
    public async Task A_redirect_url_serves_the_blob_to_a_plain_http_client_and_allows_reading_only()
    {
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite));
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(10_000);
        await driver.PutContentAsync(Path, content);

        var url = await driver.GetRedirectUrlAsync(Path);

        Assert.NotNull(url);
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url));
        using var overwrite = await http.PutAsync(url, new ByteArrayContent([1, 2, 3]) { Headers = { { "x-ms-blob-type", "BlockBlob" } } });
        Assert.Equal(HttpStatusCode.Forbidden, overwrite.StatusCode);
        Assert.Equal(content, await driver.GetContentAsync(Path));
    }

    [Fact]
    public async Task A_redirect_url_stops_working_when_it_expires()
    {
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite, redirectLifetime: TimeSpan.FromSeconds(2)));
        await driver.PutContentAsync(Path, "data"u8.ToArray());

        var url = await driver.GetRedirectUrlAsync(Path);
        using var http = new HttpClient();
        Assert.Equal("data"u8.ToArray(), await http.GetByteArrayAsync(url));

        await Task.Delay(TimeSpan.FromSeconds(4));

        using var expired = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public async Task No_redirect_url_is_given_when_redirects_are_disabled()
    {
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite), redirectDisabled: true);
        await driver.PutContentAsync(Path, "data"u8.ToArray());

        Assert.Null(await driver.GetRedirectUrlAsync(Path));
    }
}
