using System.Globalization;
using Berth.Server.Auth.Builtin;
using Berth.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth;

/// <summary>
/// Runs after the registry middleware (so refusals get the API version header and the access log): serves the
/// built-in token endpoint and lets a /v2/ request through only when the access controller allows what it needs.
/// </summary>
internal sealed class AuthMiddleware(RequestDelegate next, AuthPipeline pipeline)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (pipeline.Tokens is { } tokens && path.Equals(TokenEndpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            await TokenEndpoint.HandleAsync(context, tokens, pipeline.Logger);
            return;
        }

        // Routing matches paths case-insensitively, so this must too: "/V2/_catalog" is the catalog, not a way around auth.
        if (!path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var decision = await pipeline.Controller.AuthorizeAsync(context, AccessRecords.For(context.Request));
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        await WriteAsync(context, decision);
    }

    public static Task WriteAsync(HttpContext context, AccessDecision decision)
    {
        if (decision.Challenge is { } challenge)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
        }

        if (decision.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var error = decision.Error!;
        return RegistryErrorResult.WriteAsync(context, error, error.Status);
    }
}
