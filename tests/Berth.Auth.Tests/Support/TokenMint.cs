using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests.Support;

/// <summary>Mints registry tokens as an external token server would, including broken ones.</summary>
internal static class TokenMint
{
    public static object Access(string type, string name, params string[] actions) =>
        new Dictionary<string, object> { ["type"] = type, ["name"] = name, ["actions"] = actions.Cast<object>().ToList() };

    /// <summary>Signed by <paramref name="signer"/>'s key, with its certificate in x5c (or a kid instead).</summary>
    public static string Create(
        SecurityKey key, string algorithm, string issuer, string audience, IEnumerable<object> access,
        X509Certificate2? x5c = null, DateTime? notBefore = null, DateTime? expires = null, string? subject = "someone")
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore ?? now,
            NotBefore = notBefore ?? now.AddSeconds(-5),
            Expires = expires ?? now.AddMinutes(5),
            Claims = subject is null
                ? new Dictionary<string, object> { ["access"] = access.ToList() }
                : new Dictionary<string, object> { ["sub"] = subject, ["access"] = access.ToList() },
            SigningCredentials = new SigningCredentials(key, algorithm),
        };
        if (x5c is not null)
        {
            descriptor.AdditionalHeaderClaims = new Dictionary<string, object> { ["x5c"] = new List<object> { Convert.ToBase64String(x5c.RawData) } };
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public static string WithX5c(
        X509Certificate2 signer, string issuer, string audience, IEnumerable<object> access, DateTime? notBefore = null, DateTime? expires = null, string? subject = "someone") =>
        Create(new ECDsaSecurityKey(signer.GetECDsaPrivateKey()!), SecurityAlgorithms.EcdsaSha256, issuer, audience, access, signer, notBefore, expires, subject);

    /// <summary>The classic forgery: header alg "none", no signature.</summary>
    public static string Unsigned(string issuer, string audience, IEnumerable<object> access)
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["exp"] = exp,
            ["nbf"] = exp - 600,
            ["access"] = access.ToList(),
        })));
        return $"{header}.{payload}.";
    }

    public static RsaSecurityKey NewRsaKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };
}
