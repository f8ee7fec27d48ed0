using Berth.Server.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Routing;

/// <summary>
/// registry:2's <c>http.prefix</c>: behind a reverse proxy that forwards <c>/registry/v2/…</c> unchanged, the
/// registry serves under that prefix and nowhere else. The prefix moves into <c>PathBase</c>, so routing sees
/// <c>/v2/…</c> and every URL handed back (Location, Link, the token realm) carries the prefix
/// (<see cref="RegistryUrls"/>). <c>/debug/health</c> stays at the root too, for probes that know nothing of the proxy.
/// </summary>
internal sealed class RegistryPrefixMiddleware(RequestDelegate next, string prefix)
{
    private readonly PathString _prefix = new(prefix);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(_prefix, StringComparison.Ordinal, out var remaining))
        {
            context.Request.PathBase = context.Request.PathBase.Add(_prefix);
            context.Request.Path = remaining;
            return next(context);
        }

        if (context.Request.Path.Equals(HealthEndpoints.Path, StringComparison.Ordinal))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
