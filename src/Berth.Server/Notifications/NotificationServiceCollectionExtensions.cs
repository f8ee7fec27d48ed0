using Berth.Core.Configuration;
using Berth.Core.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Notifications;

/// <summary>Registers registry:2's webhook notifications with Berth's durable outbox, when endpoints are configured.</summary>
internal static class NotificationServiceCollectionExtensions
{
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
