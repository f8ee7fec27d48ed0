using Berth.Core.Blobs;
using Berth.Core.Browsing;
using Berth.Core.Caching;
using Berth.Core.Collection;
using Berth.Core.Configuration;
using Berth.Core.Diagnostics;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Berth.Core.Proxy;
using Berth.Core.Repositories;
using Berth.Core.Retention;
using Berth.Core.Storage;
using Berth.Core.Tags;
using Berth.Core.Uploads;
using Berth.Core.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
        services.TryAddSingleton<IRequestContextAccessor>(NoRequestContext.Instance);
        services.AddSingleton(provider => new RegistryEventChannel(provider.GetRequiredService<IRequestContextAccessor>()));
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

        // Hosts (ASP.NET Core) register logging before this; tools and tests that compose the core alone get none.
        services.TryAdd(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(NullLogger<>)));

        // Bound now, so a bad proxy section fails start-up and its keys are not reported as unused.
        services.AddSingleton(ProxyOptions.Bind(configuration.Proxy));
        services.AddSingleton<ProxyMetrics>();
        services.AddSingleton<UpstreamRegistry>();
        services.AddSingleton<ProxyRouter>();
        services.AddSingleton<ProxyExpiry>();
        services.AddSingleton<ProxyManifestSource>();
        services.AddSingleton<ProxyBlobSource>();
        services.AddSingleton<ImageSummaryReader>();
        services.AddSingleton<RepositoryIndex>();
        services.AddSingleton<IRegistryEventHandler>(provider => provider.GetRequiredService<RepositoryIndex>());
        return services;
    }
}
