using Berth.Core.Configuration;
using Berth.Core.Storage;
using Berth.Core.Storage.Filesystem;
using Berth.Storage.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Composition;

/// <summary>
/// The only place that knows the concrete storage drivers: each registry:2 driver name maps to the options it binds
/// (validated without opening storage, for <c>berth config check</c>) and the <c>Add…Storage()</c> extension that
/// registers it. Adding a driver is adding a row.
/// </summary>
internal static class StorageDrivers
{
    private static readonly Dictionary<string, DriverRegistration> Known = new(StringComparer.Ordinal)
    {
        ["filesystem"] = new(BindFilesystem, (services, _, options) => services.AddFilesystemStorage((FilesystemDriverOptions)options)),
        ["azure"] = new(
            storage => AzureDriverOptions.Bind(storage.DriverParameters, Environment.GetEnvironmentVariable),
            (services, storage, options) => services.AddAzureBlobStorage((AzureDriverOptions)options, storage.RedirectDisabled)),
    };

    /// <summary>Checks the driver's settings without opening storage.</summary>
    public static void Validate(StorageOptions storage) => Find(storage).Bind(storage);

    /// <summary>Registers the configured driver; it opens when the host first resolves <see cref="IStorageDriver"/>.</summary>
    public static void Add(IServiceCollection services, StorageOptions storage)
    {
        var registration = Find(storage);
        registration.Add(services, storage, registration.Bind(storage));
    }

    private static DriverRegistration Find(StorageOptions storage) =>
        Known.TryGetValue(storage.Driver, out var registration)
            ? registration
            : throw new ConfigurationException(
                $"storage.{storage.Driver} (REGISTRY_STORAGE={storage.Driver}): storage driver '{storage.Driver}' is not supported; use filesystem or azure");

    private static FilesystemDriverOptions BindFilesystem(StorageOptions storage)
    {
        var parameters = storage.DriverParameters;
        var root = parameters.GetString("rootdirectory");

        // registry:2 3.x spells this maxthreads; it tunes Go's concurrency and has no meaning here.
        _ = parameters.GetString("maxthreads");
        return new FilesystemDriverOptions
        {
            RootDirectory = string.IsNullOrEmpty(root) ? FilesystemDriverOptions.DefaultRootDirectory : root,
        };
    }

    private sealed record DriverRegistration(Func<StorageOptions, object> Bind, Action<IServiceCollection, StorageOptions, object> Add);
}
