using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Auth.Token;

/// <summary>
/// registry:2's token access controller: a request without a bearer token, with an invalid one, or with one that
/// lacks an access record gets 401 and the challenge that tells the client where to get a better token:
/// <c>Bearer realm="…",service="…",scope="repository:a:pull,push"</c> plus <c>error="invalid_token"</c> or
/// <c>error="insufficient_scope"</c>.
/// </summary>
internal sealed partial class TokenAccessController(TokenVerifier verifier, Func<HttpContext, string> realm, string service, ILogger logger) : IAccessController
{
    public async ValueTask<AccessDecision> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRecord> access)
    {
        var header = context.Request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AccessDecision.Unauthorized(Challenge(context, access, null), "authentication required");
        }

        var (granted, failure) = await verifier.VerifyAsync(header[7..].Trim());
        if (granted is null)
        {
            LogTokenRefused(logger, failure ?? "invalid", context.Connection.RemoteIpAddress?.ToString());
            return AccessDecision.Unauthorized(Challenge(context, access, "invalid_token"), "invalid or expired token");
        }

        foreach (var record in access)
        {
            if (!granted.Contains(record))
            {
                return AccessDecision.Unauthorized(Challenge(context, access, "insufficient_scope"), $"the token does not grant {record}");
            }
        }

        return AccessDecision.Allow;
    }

    private string Challenge(HttpContext context, IReadOnlyList<AccessRecord> access, string? error)
    {
        var challenge = $"Bearer realm=\"{realm(context)}\",service=\"{service}\"";
        if (access.Count > 0)
        {
            challenge += $",scope=\"{AccessRecords.Scope(access)}\"";
        }

        return error is null ? challenge : challenge + $",error=\"{error}\"";
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "bearer token refused ({Reason}) from {Address}")]
    private static partial void LogTokenRefused(ILogger logger, string reason, string? address);
}
