namespace Berth.Server.Auth.Htpasswd;

/// <summary>A login's result, or the Retry-After of a throttled address (whose password was not checked).</summary>
internal sealed record LoginOutcome(LoginResult Result, TimeSpan? RetryAfter)
{
    public static LoginOutcome Throttled(TimeSpan retryAfter) => new(LoginResult.UnknownUser, retryAfter);
}
