using Berth.Core.Memory;
using Berth.Core.Storage;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Storage.Azure.Tests;

/// <summary>
/// The upload writers' block buffers are reused between uploads, capped, and handed back when the host's idle reclaimer
/// trims every registered <see cref="IIdleTrimmable"/>, which the Azure registration makes this pool.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlockBufferPoolTests(Azurite azurite)
{
    [Fact]
    public void A_returned_buffer_is_reused_until_the_pool_is_trimmed()
    {
        var pool = new BlockBufferPool(64 * 1024);
        var first = pool.Rent();
        Assert.Equal(64 * 1024, first.Length);
        pool.Return(first);
        Assert.Equal(1, pool.IdleCount);
        Assert.Same(first, pool.Rent());

        pool.Return(first);
        pool.TrimIdle();

        Assert.Equal(0, pool.IdleCount);
        Assert.NotSame(first, pool.Rent());
    }

    [Fact]
    public void A_burst_beyond_the_cap_is_not_kept()
    {
        var pool = new BlockBufferPool(1024);
        var rented = Enumerable.Range(0, 40).Select(_ => pool.Rent()).ToList();
        rented.ForEach(pool.Return);

        Assert.Equal(16, pool.IdleCount);
    }

    [Fact]
    public async Task The_registered_driver_writes_through_the_pool_the_reclaimer_trims()
    {
        var options = AzuriteStore.Options(azurite);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddAzureBlobStorage(options, redirectDisabled: false);
        await using var provider = services.BuildServiceProvider();
        var pool = Assert.IsType<BlockBufferPool>(Assert.Single(provider.GetServices<IIdleTrimmable>()));
        Assert.Equal(options.BlockSize, pool.BufferSize);

        var driver = provider.GetRequiredService<IStorageDriver>();
        await using (var writer = await driver.OpenWriterAsync("/docker/registry/v2/repositories/a/_uploads/u/data", append: false))
        {
            await writer.WriteAsync(new byte[] { 1, 2, 3 });
            await writer.CommitAsync();
        }

        Assert.Equal(1, pool.IdleCount);
        foreach (var trimmable in provider.GetServices<IIdleTrimmable>())
        {
            trimmable.TrimIdle();
        }

        Assert.Equal(0, pool.IdleCount);
    }
}
