using System.Net;
using Berth.Core.Configuration;
using Berth.Server.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Berth.Server.Diagnostics;

/// <summary>
/// registry:2's <c>http.debug.addr</c>: a second Kestrel listener, plain HTTP, that answers <c>/debug/health</c> and
/// (with <c>http.debug.prometheus.enabled</c>) the Prometheus scrape path, and nothing else. Requests are told apart
/// by the local end point they arrived on, never by a Host header a client chose; the scrape path is not served on
/// the registry's own listener at all.
/// </summary>
public sealed class DebugListener
{
    private readonly DebugOptions _options;
    private ListenOptions? _listen;

    private DebugListener(DebugOptions options) => _options = options;

    /// <summary>The bound address once the host has started (the real port when configured with port 0).</summary>
    public IPEndPoint? EndPoint => _listen?.IPEndPoint;

    public static DebugListener? Configure(WebApplicationBuilder builder, RegistryConfiguration configuration)
    {
        var options = configuration.Http.Debug;
        if (options.Addr is not { } addr)
        {
            return null;
        }

        var listener = new DebugListener(options);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(addr.Address, addr.Port, listen => listener._listen = listen));
        builder.Services.AddSingleton(listener);
        if (options.PrometheusEnabled)
        {
            builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("berth")).WithMetrics(metrics => metrics
                .AddMeter(Core.Diagnostics.RegistryMetrics.MeterName)

                // The framework's own meters: request and connection counts, TLS handshakes, runtime (GC, threads).
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime")
                .AddPrometheusExporter(prometheus =>
                {
                    // Every scrape sees the counters as they are; Prometheus scrapes seldom enough.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;

                    // One meter per name: an otel_scope_name label on every series would add nothing but noise.
                    prometheus.ScopeInfoEnabled = false;
                }));
        }

        return listener;
    }

    /// <summary>Adds the debug endpoints ahead of everything else; a request on the debug listener never goes further.</summary>
    public void Use(WebApplication app)
    {
        if (_options.PrometheusEnabled)
        {
            var path = new PathString(_options.PrometheusPath);
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                meterProvider: null, predicate: context => IsDebugRequest(context) && context.Request.Path.Equals(path), path: null, configureBranchedPipeline: null, optionsName: null);
        }

        app.Use((context, next) =>
        {
            if (!IsDebugRequest(context))
            {
                return next(context);
            }

            if (context.Request.Path.Equals(HealthEndpoints.Path) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                return HealthEndpoints.WriteAsync(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    private bool IsDebugRequest(HttpContext context)
    {
        if (_listen?.IPEndPoint is not { } bound || context.Connection.LocalPort != bound.Port)
        {
            return false;
        }

        // Two listeners may share a port on different addresses; a wildcard debug address owns its port outright.
        return bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            || bound.Address.Equals(context.Connection.LocalIpAddress) || bound.Address.MapToIPv6().Equals(context.Connection.LocalIpAddress);
    }
}
