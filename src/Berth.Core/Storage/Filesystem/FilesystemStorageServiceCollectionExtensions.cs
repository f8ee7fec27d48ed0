using Microsoft.Extensions.DependencyInjection;

namespace Berth.Core.Storage.Filesystem;

public static class FilesystemStorageServiceCollectionExtensions
{
    /// <summary>Stores the registry on local disk in registry:2's layout (<c>storage.filesystem</c>).</summary>
    public static IServiceCollection AddFilesystemStorage(this IServiceCollection services, FilesystemDriverOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<IStorageDriver>(_ => new FilesystemDriver(options));
        return services;
    }
}
