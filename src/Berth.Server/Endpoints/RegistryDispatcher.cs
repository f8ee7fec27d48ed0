using Berth.Core.Names;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Endpoints;

/// <summary>
/// The single catch-all under /v2/: recognises the resource, validates the repository name before anything touches
/// storage, and hands the request to the resource's handlers.
/// </summary>
internal static class RegistryDispatcher
{
    // registry:2 answers /v2/ with these two bytes and a Content-Length, not a chunked body.
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public static Task<IResult> HandleAsync(HttpContext context, RegistryServices registry)
    {
        // Parsed once per request, before authorization judged it (RegistryRouteMiddleware).
        var route = context.Features.Get<IRegistryRouteFeature>()?.Route;
        if (route is null)
        {
            return Task.FromResult(Problems.NotFound());
        }

        var method = context.Request.Method;
        if (route.Kind is RouteKind.Base)
        {
            return Task.FromResult(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? TypedResults.Bytes(EmptyObject, "application/json; charset=utf-8") : Problems.MethodNotAllowed(method));
        }

        if (route.Kind is RouteKind.Catalog)
        {
            return HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
                ? CatalogEndpoints.ListAsync(context, registry)
                : Task.FromResult(Problems.MethodNotAllowed(method));
        }

        if (!RepositoryName.TryParse(route.Name, out var name))
        {
            return Task.FromResult(Problems.NameInvalid(route.Name));
        }

        var isWrite = HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
        if (isWrite && registry.Configuration.Storage.ReadOnly)
        {
            return Task.FromResult(Problems.ReadOnly());
        }

        var proxied = registry.Proxy.Resolve(name, context.Request.Query["ns"].FirstOrDefault());
        if (proxied is not null)
        {
            // registry:2 in proxy mode answers 405 UNSUPPORTED to every write; Berth does the same per upstream.
            if (isWrite)
            {
                return Task.FromResult(Problems.ProxyReadOnly(name.Value, registry.Proxy.IsMirror));
            }

            if (proxied.Namespace is not null)
            {
                // distribution-spec (proxying): the response names the namespace the content came from.
                context.Response.Headers[RegistryHeaders.OciNamespace] = proxied.Namespace;
            }

            // Content is cached under the local name (the prefixed name when ?ns= selected the upstream).
            name = proxied.LocalName;
        }

        if (route.Kind is RouteKind.UploadStart or RouteKind.Upload)
        {
            // Layers can be many GiB: the body limit is lifted here and only here.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            if (!HttpMethods.IsGet(method) && !HttpMethods.IsDelete(method))
            {
                var metrics = registry.Metrics;
                metrics.UploadStarted();
                context.Response.OnCompleted(() =>
                {
                    metrics.UploadEnded();
                    return Task.CompletedTask;
                });
            }
        }

        return (route.Kind, method) switch
        {
            (RouteKind.Tags, "GET" or "HEAD") => TagEndpoints.ListAsync(context, registry, name),
            (RouteKind.Manifest, "GET" or "HEAD") => ManifestEndpoints.GetAsync(context, registry, name, route.Reference, proxied),
            (RouteKind.Manifest, "PUT") => ManifestEndpoints.PutAsync(context, registry, name, route.Reference),
            (RouteKind.Manifest, "DELETE") => ManifestEndpoints.DeleteAsync(registry, name, route.Reference, context.RequestAborted),
            (RouteKind.Blob, "GET" or "HEAD") => BlobEndpoints.GetAsync(context, registry, name, route.Reference, proxied),
            (RouteKind.Blob, "DELETE") => BlobEndpoints.DeleteAsync(registry, name, route.Reference, context.RequestAborted),
            (RouteKind.UploadStart, "POST") => UploadEndpoints.StartAsync(context, registry, name),
            (RouteKind.Upload, "GET") => UploadEndpoints.StatusAsync(context, registry, name, route.Reference),
            (RouteKind.Upload, "PATCH") => UploadEndpoints.PatchAsync(context, registry, name, route.Reference),
            (RouteKind.Upload, "PUT") => UploadEndpoints.CompleteAsync(context, registry, name, route.Reference),
            (RouteKind.Upload, "DELETE") => UploadEndpoints.CancelAsync(context, registry, name, route.Reference),
            (RouteKind.Referrers, "GET") => ReferrerEndpoints.ListAsync(context, registry, name, route.Reference),
            _ => Task.FromResult(Problems.MethodNotAllowed(method)),
        };
    }
}
