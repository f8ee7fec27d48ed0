using Berth.Core.Blobs;
using Berth.Core.Caching;
using Berth.Core.Collection;
using Berth.Core.Configuration;
using Berth.Core.Diagnostics;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Berth.Core.Repositories;
using Berth.Core.Retention;
using Berth.Core.Storage;
using Berth.Core.Tags;
using Berth.Core.Uploads;
using Berth.Core.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Core;

/// <summary>Composes the registry core. A storage driver comes from one of the <c>Add…Storage()</c> extensions.</summary>
public static class BerthCoreServiceCollectionExtensions
{
    public static IServiceCollection AddBerthCore(this IServiceCollection services, RegistryConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(configuration);
        services.TryAddSingleton<RegistryMetrics>();
        services.TryAddSingleton<IRegistryCache, RegistryCache>();
        services.AddSingleton<RegistryEventChannel>();
        services.TryAddSingleton<IRegistryEventSink>(provider => provider.GetRequiredService<RegistryEventChannel>());
        services.AddSingleton<LinkStore>();
        services.AddSingleton<BlobStore>();
        services.AddSingleton<TagStore>();
        services.AddSingleton<RepositoryCatalog>();
        services.AddSingleton<TagGuard>();
        services.AddSingleton<TagWriteLocks>();
        services.AddSingleton<RegistryWriter>();
        services.AddSingleton<ManifestStore>();
        services.AddSingleton<ReferrerStore>();
        services.AddSingleton<UploadHashStates>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<UploadPurger>();
        services.AddSingleton(configuration.Storage.GarbageCollection);
        services.AddSingleton<BlobQuarantine>();
        services.AddSingleton<ReferenceGuard>();
        services.AddSingleton<RepositoryMarker>();
        services.AddSingleton<GarbageCollector>();
        services.AddSingleton<ServingInstances>();
        services.AddSingleton<RetentionRunner>();
        return services;
    }
}
