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

    [Fact]
    public async Task An_upload_written_in_odd_pieces_fills_whole_blocks_and_reads_back_intact()
    {
        // Pieces that do not divide the block size cross every block boundary at a different offset, and the second
        // session starts from a partial last block.
        var options = AzuriteStore.Options(azurite);
        var driver = await AzuriteStore.CreateDriverAsync(options);
        var content = RandomNumberGenerator.GetBytes(20 * Chunk + 3);
        const int Piece = 300_001;

        await using (var writer = await driver.OpenWriterAsync(UploadPath, append: false))
        {
            for (var offset = 0; offset < 12 * Chunk; offset += Piece)
            {
                await writer.WriteAsync(content.AsMemory(offset, Math.Min(Piece, 12 * Chunk - offset)));
            }

            await writer.CommitAsync();
        }

        // A second session continues from the committed blocks, as the next PATCH would.
        await using (var writer = await driver.OpenWriterAsync(UploadPath, append: true))
        {
            Assert.Equal(12L * Chunk, writer.Size);
            for (var offset = 12 * Chunk; offset < content.Length; offset += Piece)
            {
                await writer.WriteAsync(content.AsMemory(offset, Math.Min(Piece, content.Length - offset)));
            }

            await writer.CommitAsync();
        }

        var blockBlob = AzuriteStore.Container(azurite, options.Container).GetBlockBlobClient(driver.Layout.BlobName(UploadPath));
        var sizes = (await blockBlob.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.Select(block => block.SizeLong).ToList();
        Assert.Equal([8L * Chunk, 4L * Chunk, 8L * Chunk, 3], sizes);
        await using var stream = await driver.OpenReadAsync(UploadPath);
        Assert.NotNull(stream);
        Assert.Equal(SHA256.HashData(content), await SHA256.HashDataAsync(stream));
    }
}
