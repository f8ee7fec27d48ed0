using Berth.Core.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Hosting;

/// <summary>
/// The request behind an event, read from the current HttpContext: the request id is
/// <see cref="HttpContext.TraceIdentifier"/> (set from X-Request-Id when the client sends one), the address is the
/// connection's after trusted forwarded headers, the actor is the authenticated user name.
/// </summary>
internal sealed class HttpRequestContextAccessor(IHttpContextAccessor httpContextAccessor) : IRequestContextAccessor
{
    public EventOrigin? Current
    {
        get
        {
            if (httpContextAccessor.HttpContext is not { } context)
            {
                return null;
            }

            var connection = context.Connection;
            var request = context.Request;
            var address = connection.RemoteIpAddress is { } ip
                ? new System.Net.IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, connection.RemotePort).ToString()
                : null;
            return new EventOrigin(
                context.TraceIdentifier,
                address,
                request.Host.HasValue ? request.Host.Value : null,
                request.Scheme,
                request.Method,
                request.Headers[HeaderNames.UserAgent].ToString(),
                context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null);
        }
    }
}
