using Berth.Core;
using Berth.Core.Configuration;
using Berth.Core.Diagnostics;
using Berth.Core.Events;
using Berth.Core.Memory;
using Berth.Core.Storage;
using Berth.Server.Auth;
using Berth.Server.Diagnostics;
using Berth.Server.Endpoints;
using Berth.Server.Health;
using Berth.Server.Notifications;
using Berth.Server.Routing;
using Berth.Server.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>Builds the registry web application around a configuration and one storage driver.</summary>
public static class RegistryApplication
{
    /// <summary>Creates the application around a driver that is already open (tests, tools).</summary>
    public static WebApplication Build(RegistryConfiguration configuration, IStorageDriver driver, string? urls = null, Action<WebApplicationBuilder>? configure = null) =>
        Build(configuration, services => services.AddSingleton(driver), urls, configure);

    /// <summary>
    /// Creates the application. <paramref name="addStorage"/> registers the storage driver (an <c>Add…Storage()</c>
    /// extension chosen from the configuration); <paramref name="urls"/> overrides <c>http.addr</c> (tests bind
    /// 127.0.0.1:0); <paramref name="configure"/> runs last, so its registrations win (a test clock, a handler).
    /// </summary>
    public static WebApplication Build(RegistryConfiguration configuration, Action<IServiceCollection> addStorage, string? urls = null, Action<WebApplicationBuilder>? configure = null)
    {
        // Berth is configured by config.yml and REGISTRY_* alone. The framework's appsettings.json loading would watch
        // its content root (by default the working directory) with a recursive inotify watch: 150 ms of start-up
        // when berth starts in a large folder, and a stray appsettings.json there could reconfigure Kestrel.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        RegistryLogging.Configure(builder.Logging, configuration.Log);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Manifests and API calls are small; upload routes lift this per request (RegistryDispatcher).
            kestrel.Limits.MaxRequestBodySize = 32 * 1024 * 1024;

            var limits = configuration.Http.Limits;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeaderTimeout;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            kestrel.Limits.MinRequestBodyDataRate = limits.MinRequestBodyDataRate == 0
                ? null
                : new MinDataRate(limits.MinRequestBodyDataRate, HttpLimitsOptions.MinRequestBodyDataRateGracePeriod);
        });
        builder.WebHost.UseSockets(sockets =>
        {
            // With 64 KiB blocks (below) an idle keep-alive connection would pin one block each if the transport
            // allocated before data arrived; the zero-byte "wait for data" read costs one syscall per 64 KiB receive
            // (4,172 recvfrom for a 128 MiB PUT instead of 2,059; 33,172 with 4 KiB blocks and no wait).
            sockets.WaitForDataBeforeAllocatingBuffer = true;
        });

        // Registered after Kestrel's own factory, so the transport's pools are ours: 64 KiB receives and sends.
        builder.Services.AddSingleton<LargeBlockMemoryPoolFactory>();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(services => services.GetRequiredService<LargeBlockMemoryPoolFactory>());
        builder.Services.AddSingleton<IIdleTrimmable>(services => services.GetRequiredService<LargeBlockMemoryPoolFactory>());
        var security = RegistrySecurity.Configure(builder, configuration);
        if (urls is not null)
        {
            if (configuration.Http.Debug.Addr is not null)
            {
                throw new ArgumentException("a registry with http.debug.addr listens on http.addr; pass no urls", nameof(urls));
            }

            builder.WebHost.UseUrls(urls);
        }
        else
        {
            if (!ListenAddress.TryParse(configuration.Http.Addr, out var address))
            {
                throw new ConfigurationException($"http.addr (REGISTRY_HTTP_ADDR): '{configuration.Http.Addr}' is not a listen address");
            }

            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address.Address, address.Port, security.ConfigureListener));
        }

        var debug = DebugListener.Configure(builder, configuration);

        // On SIGTERM Kestrel stops accepting at once and lets requests in flight finish for this long, then aborts
        // them: an upload cut off keeps what it committed (resumable) and is never completed.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = configuration.Http.DrainTimeout);

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IRequestContextAccessor, HttpRequestContextAccessor>();
        builder.Services.AddBerthCore(configuration);
        builder.Services.AddRegistryNotifications(configuration);
        addStorage(builder.Services);
        builder.Services.AddStorageMetrics();
        builder.Services.AddSingleton<RegistryServices>();
        builder.Services.AddHostedService<RegistryEventDispatcher>();
        builder.Services.AddHostedService<InstanceHeartbeatService>();
        if (configuration.Storage.GarbageCollection.Enabled)
        {
            builder.Services.AddHostedService<GarbageCollectionService>();
        }
        builder.Services.AddSingleton(services => HealthChecks.Create(configuration.Health, services.GetRequiredService<IStorageDriver>()));
        if (configuration.Health.Any)
        {
            builder.Services.AddHostedService<HealthCheckService>();
        }
        // A read-only registry changes nothing on its own; `berth retention apply` still runs when asked.
        if (configuration.Retention is { Enabled: true, Policies.Count: > 0 } && !configuration.Storage.ReadOnly)
        {
            builder.Services.AddHostedService(services => new RetentionService(
                services.GetRequiredService<Core.Retention.RetentionRunner>(), configuration.Retention, services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<RetentionService>>()));
        }

        builder.Services.AddHostedService<ProxyCacheService>();
        builder.Services.AddHostedService<IdleMemoryReclaimer>();
        configure?.Invoke(builder);

        var app = builder.Build();
        debug?.Use(app);
        if (configuration.Http.Prefix.Length > 0)
        {
            app.UseMiddleware<RegistryPrefixMiddleware>(configuration.Http.Prefix);
        }

        app.UseMiddleware<RegistryMiddleware>();
        app.UseMiddleware<RegistryRouteMiddleware>();
        if (configuration.Ui.Enabled)
        {
            app.UseMiddleware<UiApiChallengeMiddleware>();
        }


        // Explicitly here, not first as WebApplication would place it: endpoints are matched on the path after the
        // http.prefix came off.
        app.UseRouting();
        security.UseSecurity(app);
        app.MapRegistry();
        app.MapUi(configuration.Ui.Enabled);
        return app;
    }

    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder endpoints)
    {
        // Load balancers probe without credentials; every other endpoint falls under the registry's fallback policy.
        endpoints.MapMethods(HealthEndpoints.Path, [HttpMethods.Get, HttpMethods.Head], HealthEndpoints.WriteAsync).AllowAnonymous();
        endpoints.Map("/v2", (HttpContext context, RegistryServices registry) => RegistryDispatcher.HandleAsync(context, registry));
        endpoints.Map("/v2/{**path}", (HttpContext context, RegistryServices registry) => RegistryDispatcher.HandleAsync(context, registry));
        return endpoints;
    }
}
