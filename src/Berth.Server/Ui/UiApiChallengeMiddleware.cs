using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Ui;

/// <summary>
/// Drops the <c>WWW-Authenticate</c> challenge from the UI API's 401s: a browser that sees <c>Basic</c> there opens
/// its own login dialog over the page, and would then send the cached credentials with every request to the origin.
/// The UI shows its own login form instead; registry clients never call /api/, and never send the UI's
/// <see cref="UiDeleteEndpoints.RequestHeader"/> (which the UI also sends to <c>/auth/token</c> when it logs in).
/// </summary>
internal sealed class UiApiChallengeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(UiEndpoints.ApiPrefix, StringComparison.Ordinal)
            || context.Request.Headers.ContainsKey(UiDeleteEndpoints.RequestHeader))
        {
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.Remove(HeaderNames.WWWAuthenticate);
                return Task.CompletedTask;
            }, context.Response);
        }

        return next(context);
    }
}
