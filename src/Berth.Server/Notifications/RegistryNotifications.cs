using Berth.Core.Configuration;
using Berth.Core.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Notifications;

/// <summary>Registers registry:2's webhook notifications with Berth's durable outbox, when endpoints are configured.</summary>
public static class RegistryNotifications
{
    /// <summary>Binds the <c>notifications</c> section as <c>serve</c> would, failing on a bad value (for <c>berth config check</c>).</summary>
    public static void Validate(RegistryConfiguration configuration) => NotificationOptions.Bind(configuration);

    public static IServiceCollection AddRegistryNotifications(this IServiceCollection services, RegistryConfiguration configuration)
    {
        var options = NotificationOptions.Bind(configuration);
        if (!options.Enabled.Any())
        {
            return services;
        }

        services.AddSingleton(options);
        services.AddSingleton(new NotificationEventBuilder(options, configuration.Http, NotificationEventBuilder.CreateSource(configuration.Http)));
        services.AddSingleton<NotificationEndpoints>();
        services.AddSingleton<IRegistryEventHandler, NotificationEventHandler>();
        services.AddHostedService<NotificationDeliveryService>();
        return services;
    }
}
