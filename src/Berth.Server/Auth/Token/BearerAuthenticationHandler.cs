using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Auth.Token;

/// <summary>
/// registry:2's token auth as an ASP.NET Core scheme: a verified bearer token makes a user named by its subject
/// holding its <c>access</c> claim. As registry:2 answers, a missing or invalid token and a token lacking the access
/// the request needs all get 401 with the challenge (<c>error="invalid_token"</c>, <c>error="insufficient_scope"</c>).
/// </summary>
internal sealed partial class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder, AuthPipeline pipeline)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.NoResult();
        }

        var (granted, failure) = await pipeline.Bearer!.Verifier.VerifyAsync(header[7..].Trim());
        if (granted is null)
        {
            LogTokenRefused(pipeline.Logger, failure ?? "invalid", Context.Connection.RemoteIpAddress?.ToString());
            return AuthenticateResult.Fail(failure ?? "invalid token");
        }

        var claims = new List<Claim>();
        if (granted.Subject.Length > 0)
        {
            claims.Add(new Claim(ClaimTypes.Name, granted.Subject));
        }

        claims.AddRange(granted.Records.Select(r => RegistryClaims.Granting(r.Type, r.Name, r.Action)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var invalid = result.Failure is not null;
        await RegistryRefusal.UnauthorizedAsync(
            Context,
            pipeline.Bearer!.Challenge(Context, AccessRecords.For(Context), invalid ? "invalid_token" : null),
            invalid ? "invalid or expired token" : "authentication required");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var access = AccessRecords.For(Context);
        var missing = access.FirstOrDefault(r => !RegistryClaims.Grant(Context.User, r));
        return RegistryRefusal.UnauthorizedAsync(
            Context, pipeline.Bearer!.Challenge(Context, access, "insufficient_scope"), $"the token does not grant {missing}");
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "bearer token refused ({Reason}) from {Address}")]
    private static partial void LogTokenRefused(ILogger logger, string reason, string? address);
}
