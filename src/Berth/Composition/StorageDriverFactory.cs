using Berth.Core.Configuration;
using Berth.Core.Storage;
using Berth.Core.Storage.Filesystem;
using Berth.Storage.Azure;
using Microsoft.Extensions.Logging;

namespace Berth.Composition;

/// <summary>The only place that knows the concrete storage drivers: picks one by its registry:2 name.</summary>
internal static class StorageDriverFactory
{
    /// <summary>Checks the driver's settings without opening storage, for <c>berth config check</c>.</summary>
    public static void Validate(StorageOptions storage)
    {
        switch (storage.Driver)
        {
            case "filesystem":
                _ = storage.DriverParameters.GetString("rootdirectory");
                _ = storage.DriverParameters.GetString("maxthreads");
                break;
            case "azure":
                _ = AzureDriverOptions.Bind(storage.DriverParameters, Environment.GetEnvironmentVariable);
                break;
            default:
                throw new ConfigurationException(
                    $"storage.{storage.Driver} (REGISTRY_STORAGE={storage.Driver}): storage driver '{storage.Driver}' is not supported; use filesystem or azure");
        }
    }

    public static async Task<IStorageDriver> CreateAsync(StorageOptions storage, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        Validate(storage);
        return storage.Driver switch
        {
            "azure" => await AzureDriverComposition.CreateAsync(storage, loggerFactory, cancellationToken),
            _ => CreateFilesystem(storage.DriverParameters),
        };
    }

    private static FilesystemDriver CreateFilesystem(ConfigSection parameters)
    {
        var root = parameters.GetString("rootdirectory");
        var driver = new FilesystemDriver(new FilesystemDriverOptions
        {
            RootDirectory = string.IsNullOrEmpty(root) ? FilesystemDriverOptions.DefaultRootDirectory : root,
        });

        // registry:2 3.x spells this maxthreads; it tunes Go's concurrency and has no meaning here.
        _ = parameters.GetString("maxthreads");
        try
        {
            driver.EnsureWritable();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw parameters.Error("rootdirectory", $"'{driver.RootDirectory}' is not a writable directory: {e.Message}");
        }

        return driver;
    }
}
