using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Server.Auth.Token;

/// <summary>
/// Verifies a Docker/OCI bearer token as registry:2's token.Verify does: issuer, audience (the service), expiry
/// and not-before with registry:2's 60 s leeway, a signature by a trusted key (never <c>alg: none</c>), then
/// reads the <c>access</c> claim. Verified tokens are remembered until they expire: clients send the same token
/// for every request of a push.
/// </summary>
internal sealed class TokenVerifier
{
    // registry:2: "Leeway is the Duration that will be added to NBF and EXP claim checks to account for clock skew".
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);
    private const int MaxCached = 4096;

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (GrantedAccess Access, DateTimeOffset Expires)> _verified = new(StringComparer.Ordinal);

    public TokenVerifier(string issuer, string service, TrustedKeys keys, TimeProvider time)
    {
        _time = time;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = service,
            ClockSkew = Leeway,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            ValidAlgorithms =
            [
                SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
                SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
            ],
            IssuerSigningKeyResolver = (_, token, _, _) => token is JsonWebToken jwt ? keys.Resolve(jwt) : [],
            LifetimeValidator = (notBefore, expires, _, _) => ValidLifetime(notBefore, expires),
            TryAllIssuerSigningKeys = false,
            ValidateIssuerSigningKey = false,
        };
    }

    /// <summary>The token's grants, or null (with the reason) when it must be refused.</summary>
    public async ValueTask<(GrantedAccess? Access, string? Failure)> VerifyAsync(string token)
    {
        var now = _time.GetUtcNow();
        if (_verified.TryGetValue(token, out var cached))
        {
            if (cached.Expires + Leeway > now)
            {
                return (cached.Access, null);
            }

            _verified.TryRemove(token, out _);
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, result.Exception?.GetType().Name ?? "invalid token");
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var access = GrantedAccess.Parse(payload.RootElement);
        if (_verified.Count >= MaxCached)
        {
            _verified.Clear();
        }

        _verified[token] = (access, jwt.ValidTo);
        return (access, null);
    }

    private bool ValidLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp + Leeway > now && (notBefore is not { } nbf || nbf - Leeway <= now);
    }
}
