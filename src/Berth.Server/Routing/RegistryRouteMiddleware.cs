using Microsoft.AspNetCore.Http;

namespace Berth.Server.Routing;

/// <summary>Parses the /v2/ route once, early, into <see cref="IRegistryRouteFeature"/>.</summary>
internal sealed class RegistryRouteMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Features.Set<IRegistryRouteFeature>(new RegistryRouteFeature(Parse(context.Request.Path)));
        return next(context);
    }

    private static RegistryRoute? Parse(PathString path)
    {
        // registry:2 serves /v2/ only in lower case; ASP.NET Core routing would also accept /V2/, which then answers 404.
        if (!path.StartsWithSegments("/v2", StringComparison.Ordinal, out var rest))
        {
            return null;
        }

        var value = rest.Value ?? string.Empty;
        return RegistryRoute.Parse(value.StartsWith('/') ? value[1..] : value);
    }

    private sealed record RegistryRouteFeature(RegistryRoute? Route) : IRegistryRouteFeature;
}
