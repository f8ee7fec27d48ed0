using Berth.Core.Configuration;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Composition;

internal static class AzureDriverComposition
{
    public static Task<IStorageDriver> CreateAsync(StorageOptions storage, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        throw new ConfigurationException("storage.azure (REGISTRY_STORAGE=azure): the Azure driver is not available in this build yet");
}
