using System.Globalization;
using Berth.Core.Errors;
using Berth.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth;

/// <summary>
/// The answers auth gives instead of the resource, as registry:2 gives them: 401 UNAUTHORIZED with the challenge,
/// 403 DENIED, and Berth's 429 TOOMANYREQUESTS with Retry-After; each with the spec's JSON error body.
/// </summary>
internal static class RegistryRefusal
{
    public static Task UnauthorizedAsync(HttpContext context, string challenge, string message)
    {
        context.Response.Headers.WWWAuthenticate = challenge;
        return WriteAsync(context, new RegistryError(ErrorCode.Unauthorized, message));
    }

    public static Task DeniedAsync(HttpContext context) =>
        WriteAsync(context, new RegistryError(ErrorCode.Denied, "requested access to the resource is denied"));

    public static Task ThrottledAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, new RegistryError(ErrorCode.TooManyRequests, "too many failed logins from this address; try again later"));
    }

    private static Task WriteAsync(HttpContext context, RegistryError error) => RegistryErrorResult.WriteAsync(context, error, error.Status);
}
