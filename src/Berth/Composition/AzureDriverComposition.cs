using Berth.Core.Configuration;
using Berth.Core.Storage;
using Berth.Storage.Azure;
using Microsoft.Extensions.Logging;

namespace Berth.Composition;

internal static class AzureDriverComposition
{
    public static Task<IStorageDriver> CreateAsync(StorageOptions storage, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        AzureStorageDriverFactory.CreateAsync(storage.DriverParameters, storage.RedirectDisabled, loggerFactory, cancellationToken);
}
