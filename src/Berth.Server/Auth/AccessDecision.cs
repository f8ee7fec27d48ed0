using Berth.Core.Errors;

namespace Berth.Server.Auth;

/// <summary>
/// What an access controller decided: let the request through, or answer it with an error, the
/// <c>WWW-Authenticate</c> challenge to send with it and, when throttled, how long to wait.
/// </summary>
internal sealed record AccessDecision(RegistryError? Error, string? Challenge = null, TimeSpan? RetryAfter = null)
{
    public static readonly AccessDecision Allow = new((RegistryError?)null);

    public bool Allowed => Error is null;

    public static AccessDecision Unauthorized(string challenge, string message) =>
        new(new RegistryError(ErrorCode.Unauthorized, message), challenge);

    public static AccessDecision Throttled(TimeSpan retryAfter) =>
        new(new RegistryError(ErrorCode.TooManyRequests, "too many failed logins from this address; try again later"), RetryAfter: retryAfter);
}
