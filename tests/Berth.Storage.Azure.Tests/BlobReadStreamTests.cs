using System.Security.Cryptography;
using Berth.Testing;

namespace Berth.Storage.Azure.Tests;

/// <summary>
/// The driver's read stream on the real emulator: one request per read from start to end, another only when the
/// reader seeks; a blob replaced under a pinned read fails rather than mixing versions; content-addressed data
/// survives a collector's touch mid-read.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobReadStreamTests(Azurite azurite)
{
    private const string LayerPath = "/docker/registry/v2/blobs/sha256/ab/abcdef/data";
    private const string UploadPath = "/docker/registry/v2/repositories/library/app/_uploads/u/data";

    [Fact]
    public async Task A_whole_read_of_a_large_blob_is_one_request()
    {
        var counter = new RequestCountingPolicy();
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite, policies: [counter]));
        var content = RandomNumberGenerator.GetBytes(9 * 1024 * 1024 + 17);
        await WriteAsync(driver, LayerPath, content);
        counter.Take();

        await using (var stream = await driver.OpenReadAsync(LayerPath))
        {
            Assert.NotNull(stream);
            Assert.Equal(content.Length, stream.Length);
            Assert.Equal(SHA256.HashData(content), await SHA256.HashDataAsync(stream));
        }

        // The SDK's read stream took a properties request and then one GET per 4 MiB: 4 here.
        Assert.Equal(["GET data"], counter.Take());
    }

    [Fact]
    public async Task Seeking_back_and_forth_reads_the_right_bytes_and_the_end_reads_nothing()
    {
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite));
        var content = RandomNumberGenerator.GetBytes(300_000);
        await WriteAsync(driver, LayerPath, content);

        await using var stream = await driver.OpenReadAsync(LayerPath);
        Assert.NotNull(stream);
        var head = new byte[1000];
        await stream.ReadExactlyAsync(head);
        Assert.Equal(content.AsSpan(0, 1000).ToArray(), head);

        stream.Seek(250_000, SeekOrigin.Begin);
        var tail = new byte[50_000];
        await stream.ReadExactlyAsync(tail);
        Assert.Equal(content.AsSpan(250_000).ToArray(), tail);
        Assert.Equal(0, await stream.ReadAsync(new byte[10]));

        stream.Position = 10;
        var again = new byte[20];
        Assert.Equal(20, stream.Read(again, 0, 20));
        Assert.Equal(content.AsSpan(10, 20).ToArray(), again);

        stream.Seek(0, SeekOrigin.End);
        Assert.Equal(0, await stream.ReadAsync(new byte[10]));
    }

    [Fact]
    public async Task An_upload_replaced_under_a_read_fails_the_read_instead_of_mixing_versions()
    {
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite));
        var first = RandomNumberGenerator.GetBytes(200_000);
        await WriteAsync(driver, UploadPath, first);

        await using var stream = await driver.OpenReadAsync(UploadPath);
        Assert.NotNull(stream);
        await WriteAsync(driver, UploadPath, RandomNumberGenerator.GetBytes(200_000));

        // A range request (or a resumed read) asks again from an offset; the bytes there are another version's.
        stream.Seek(100_000, SeekOrigin.Begin);
        await Assert.ThrowsAnyAsync<global::Azure.RequestFailedException>(async () => await stream.ReadExactlyAsync(new byte[1000]));
    }

    [Fact]
    public async Task A_layer_touched_by_the_collector_mid_read_still_reads_whole()
    {
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(azurite));
        var content = RandomNumberGenerator.GetBytes(200_000);
        await WriteAsync(driver, LayerPath, content);

        await using var stream = await driver.OpenReadAsync(LayerPath);
        Assert.NotNull(stream);
        var head = new byte[100_000];
        await stream.ReadExactlyAsync(head);
        Assert.True(await driver.TouchAsync(LayerPath));

        stream.Seek(100_000, SeekOrigin.Begin);
        var rest = new byte[100_000];
        await stream.ReadExactlyAsync(rest);
        Assert.Equal(content, head.Concat(rest).ToArray());
    }

    private static async Task WriteAsync(AzureBlobDriver driver, string path, byte[] content)
    {
        await using var writer = await driver.OpenWriterAsync(path, append: false);
        await writer.WriteAsync(content);
        await writer.CommitAsync();
    }
}
