using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Berth.Testing;

namespace Berth.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureUploadTests(Azurite azurite)
{
    private const string UploadPath = "/docker/registry/v2/repositories/library/app/_uploads/u/data";
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task A_64_MiB_upload_committed_1_MiB_at_a_time_and_moved_arrives_intact_in_few_blocks()
    {
        // Fold early so this test sees what a very long upload sees after 1,000 chunks.
        var options = AzuriteStore.Options(azurite, compactAfterBlocks: 4);
        var driver = await AzuriteStore.CreateDriverAsync(options);
        using var expected = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        for (var i = 0; i < 64; i++)
        {
            // One writer per chunk, as one PATCH request each, possibly on different instances.
            var chunk = RandomNumberGenerator.GetBytes(Chunk);
            expected.AppendData(chunk);
            await using var writer = await driver.OpenWriterAsync(UploadPath, append: i > 0);
            Assert.Equal((long)i * Chunk, writer.Size);
            await writer.WriteAsync(chunk);
            await writer.CommitAsync();
        }

        var blockBlob = AzuriteStore.Container(azurite, options.Container).GetBlockBlobClient(driver.Layout.BlobName(UploadPath));
        var blocks = (await blockBlob.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.Count();
        Assert.InRange(blocks, 1, 16);

        var destination = "/docker/registry/v2/blobs/sha256/aa/aaaa/data";
        await driver.MoveAsync(UploadPath, destination);

        Assert.Null(await driver.StatAsync(UploadPath));
        await using var stream = await driver.OpenReadAsync(destination);
        Assert.NotNull(stream);
        Assert.Equal(64L * Chunk, stream.Length);
        Assert.Equal(expected.GetHashAndReset(), await SHA256.HashDataAsync(stream));
    }
}
