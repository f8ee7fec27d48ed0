using Berth.Core.Storage;
using Berth.Testing;

namespace Berth.Storage.Azure.Tests;

/// <summary>Has its own emulator, because it stops it.</summary>
public sealed class AzureFaultTests(Azurite azurite) : IClassFixture<Azurite>
{
    private const string UploadPath = "/docker/registry/v2/repositories/app/_uploads/u/data";
    private readonly Azurite _azurite = azurite;

    [Fact]
    public async Task An_outage_fails_requests_with_StorageUnavailable_and_the_same_driver_resumes_the_upload_afterwards()
    {
        var driver = await AzuriteStore.CreateDriverAsync(AzuriteStore.Options(_azurite));
        var first = new byte[300_000];
        Random.Shared.NextBytes(first);
        await using (var writer = await driver.OpenWriterAsync(UploadPath, append: false))
        {
            await writer.WriteAsync(first);
            await writer.CommitAsync();
        }

        await using (var writer = await driver.OpenWriterAsync(UploadPath, append: true))
        {
            await writer.WriteAsync(new byte[1000]);
            await _azurite.StopAsync();

            var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => writer.CommitAsync());
            Assert.Contains("Azure Blob Storage", error.Message, StringComparison.Ordinal);
            Assert.Contains(UploadPath, error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<StorageUnavailableException>(() => driver.CheckHealthAsync());
        }

        await _azurite.StartAsync();

        await driver.CheckHealthAsync();
        var second = new byte[5000];
        Random.Shared.NextBytes(second);
        await using (var writer = await driver.OpenWriterAsync(UploadPath, append: true))
        {
            Assert.Equal(first.Length, writer.Size);
            await writer.WriteAsync(second);
            await writer.CommitAsync();
        }

        byte[] expected = [.. first, .. second];
        Assert.Equal(expected, await driver.GetContentAsync(UploadPath));
    }
}
