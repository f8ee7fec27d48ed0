using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Auth.Htpasswd;

/// <summary>
/// registry:2's htpasswd auth as an ASP.NET Core scheme: Basic credentials checked against the file (under the login
/// throttle) make a user who may do anything; everyone else gets <c>Basic realm="…"</c>, or 429 when throttled.
/// </summary>
internal sealed partial class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder, AuthPipeline pipeline)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Basic";

    private TimeSpan? _retryAfter;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BasicCredentials.TryRead(Request, out var credentials))
        {
            return AuthenticateResult.NoResult();
        }

        var outcome = await pipeline.Basic!.Login.CheckAsync(Context, credentials);
        if (outcome.RetryAfter is { } retryAfter)
        {
            _retryAfter = retryAfter;
            return AuthenticateResult.Fail("too many failed logins");
        }

        if (outcome.Result != LoginResult.Verified)
        {
            LogLoginFailed(pipeline.Logger, outcome.Result == LoginResult.WrongPassword ? credentials.User : "(unknown)", Context.Connection.RemoteIpAddress?.ToString());
            return AuthenticateResult.Fail("invalid username or password");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, credentials.User), new Claim(RegistryClaims.Access, RegistryClaims.Everything)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (_retryAfter is { } retryAfter)
        {
            await RegistryRefusal.ThrottledAsync(Context, retryAfter);
            return;
        }

        await RegistryRefusal.UnauthorizedAsync(Context, pipeline.Basic!.Challenge, result.Failure is null ? "authentication required" : "invalid username or password");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => RegistryRefusal.DeniedAsync(Context);

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "failed login for user {User} from {Address}")]
    private static partial void LogLoginFailed(ILogger logger, string user, string? address);
}
