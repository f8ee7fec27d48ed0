using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth.Htpasswd;

/// <summary>
/// Checks Basic credentials against the htpasswd file under the login throttle: a throttled address gets no password
/// check, and each check holds a throttle slot while bcrypt runs. Shared by the Basic scheme and the token endpoint.
/// </summary>
internal sealed class PasswordLogin(HtpasswdFile users, LoginThrottle throttle)
{
    public async ValueTask<LoginOutcome> CheckAsync(HttpContext context, BasicCredentials credentials)
    {
        var address = context.Connection.RemoteIpAddress;
        if (throttle.IsBlocked(address, out var retryAfter))
        {
            return LoginOutcome.Throttled(retryAfter);
        }

        // Credentials bcrypt accepted moments ago cost no check, so they take no slot: a client's parallel requests
        // after its first login are never held up by the throttle.
        if (users.IsRemembered(credentials.User, credentials.Password))
        {
            return new LoginOutcome(LoginResult.Verified, null);
        }

        using var attempt = await throttle.BeginAsync(address, context.RequestAborted);
        if (attempt.RetryAfter is { } wait)
        {
            return LoginOutcome.Throttled(wait);
        }

        var result = users.Verify(credentials.User, credentials.Password);
        if (result == LoginResult.Verified)
        {
            attempt.Succeeded();
        }

        return new LoginOutcome(result, null);
    }
}
