using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth.Token;

/// <summary>
/// What the Bearer scheme needs: the verifier, and registry:2's challenge that tells a client where to get a better
/// token: <c>Bearer realm="…",service="…",scope="repository:a:pull,push"</c>, plus <c>error="…"</c> when a token was
/// sent.
/// </summary>
internal sealed class BearerScheme(TokenVerifier verifier, Func<HttpContext, string> realm, string service)
{
    public TokenVerifier Verifier => verifier;

    public string Challenge(HttpContext context, IReadOnlyList<AccessRecord> access, string? error)
    {
        var challenge = $"Bearer realm={ChallengeParameter.Quote(realm(context))},service={ChallengeParameter.Quote(service)}";
        if (access.Count > 0)
        {
            challenge += $",scope={ChallengeParameter.Quote(AccessRecords.Scope(access))}";
        }

        return error is null ? challenge : challenge + $",error={ChallengeParameter.Quote(error)}";
    }
}
