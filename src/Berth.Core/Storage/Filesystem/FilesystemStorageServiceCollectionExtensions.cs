using Berth.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Core.Storage.Filesystem;

public static class FilesystemStorageServiceCollectionExtensions
{
    /// <summary>
    /// Stores the registry on local disk in registry:2's layout (<c>storage.filesystem</c>). The driver opens when
    /// first resolved: it creates the root, finishes any delete a crash interrupted and proves it can write.
    /// </summary>
    public static IServiceCollection AddFilesystemStorage(this IServiceCollection services, FilesystemDriverOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IStorageDriver>(_ =>
        {
            var driver = new FilesystemDriver(options);
            try
            {
                driver.EnsureWritable();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException(
                    $"storage.filesystem.rootdirectory (REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY): '{driver.RootDirectory}' is not a writable directory: {e.Message}");
            }

            return driver;
        });
        return services;
    }
}
