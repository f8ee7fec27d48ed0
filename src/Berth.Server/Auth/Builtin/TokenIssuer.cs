using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Server.Auth.Builtin;

/// <summary>Signs short-lived Docker registry tokens: iss, sub, aud (the service), exp/nbf/iat, jti and <c>access</c>.</summary>
internal sealed class TokenIssuer(SigningKey key, string issuer, string service, TimeSpan lifetime, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials = new(key.Key, key.Algorithm);

    public TimeSpan Lifetime => lifetime;

    public (string Token, DateTimeOffset IssuedAt) Issue(string subject, IReadOnlyList<(string Type, string Name, IReadOnlyList<string> Actions)> access)
    {
        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = subject,
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["access"] = access
                .Select(a => (object)new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["type"] = a.Type,
                    ["name"] = a.Name,
                    ["actions"] = a.Actions.Cast<object>().ToList(),
                })
                .ToList(),
        };
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = service,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
        return (token, now);
    }
}
