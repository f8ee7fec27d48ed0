using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Auth.Htpasswd;

/// <summary>
/// registry:2's htpasswd access controller: any user in the file may do anything; everyone else gets a
/// <c>Basic</c> challenge. Failed logins count towards the client address's throttle.
/// </summary>
internal sealed partial class HtpasswdAccessController(HtpasswdFile users, string realm, LoginThrottle throttle, ILogger logger) : IAccessController
{
    private readonly string _challenge = $"Basic realm=\"{realm.Replace("\"", "'", StringComparison.Ordinal)}\"";

    public ValueTask<AccessDecision> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRecord> access)
    {
        if (!BasicCredentials.TryRead(context.Request, out var credentials))
        {
            return ValueTask.FromResult(AccessDecision.Unauthorized(_challenge, "authentication required"));
        }

        var address = context.Connection.RemoteIpAddress;
        if (throttle.IsBlocked(address, out var retryAfter))
        {
            return ValueTask.FromResult(AccessDecision.Throttled(retryAfter));
        }

        var result = users.Verify(credentials.User, credentials.Password);
        if (result != LoginResult.Verified)
        {
            throttle.RecordFailure(address);
            LogLoginFailed(logger, result == LoginResult.WrongPassword ? credentials.User : "(unknown)", address?.ToString());
            return ValueTask.FromResult(AccessDecision.Unauthorized(_challenge, "invalid username or password"));
        }

        return ValueTask.FromResult(AccessDecision.Allow);
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "failed login for user {User} from {Address}")]
    private static partial void LogLoginFailed(ILogger logger, string user, string? address);
}
