using Berth.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Core.Diagnostics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Wraps the registered storage driver (whichever <c>Add…Storage()</c> chose) in one that records every call in
    /// <see cref="RegistryMetrics"/>. Call after the driver is registered.
    /// </summary>
    public static IServiceCollection AddStorageMetrics(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IStorageDriver))
            ?? throw new InvalidOperationException("register a storage driver before AddStorageMetrics");
        services.Remove(registered);
        services.AddSingleton<IStorageDriver>(provider => new MeteredStorageDriver(Create(registered, provider), provider.GetRequiredService<RegistryMetrics>()));
        return services;
    }

    private static IStorageDriver Create(ServiceDescriptor registered, IServiceProvider provider) =>
        (IStorageDriver)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
}
