using Berth.Core.Memory;
using Berth.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Azure;

public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>
    /// Stores the registry in Azure Blob Storage in registry:2's layout (<c>storage.azure</c>). The driver opens when
    /// first resolved: it creates the container if missing, proves the credentials and detects the blob-name form,
    /// so the host resolves it once at start-up to fail fast with a one-line <c>ConfigurationException</c>.
    /// </summary>
    public static IServiceCollection AddAzureBlobStorage(this IServiceCollection services, AzureDriverOptions options, bool redirectDisabled)
    {
        services.AddSingleton(options);

        // The upload writers' block buffers outlive requests; the host's idle reclaimer empties the pool.
        var buffers = new BlockBufferPool(options.BlockSize);
        services.AddSingleton<IIdleTrimmable>(buffers);

        // Opening is asynchronous but happens once, at start-up, before any request: blocking here is harmless.
        services.AddSingleton<IStorageDriver>(provider => AzureStorageDriverFactory
            .CreateDriverAsync(options, redirectDisabled, provider.GetRequiredService<ILoggerFactory>(), CancellationToken.None, buffers)
            .GetAwaiter().GetResult());
        return services;
    }
}
