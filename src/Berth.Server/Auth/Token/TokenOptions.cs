using Berth.Core.Configuration;

namespace Berth.Server.Auth.Token;

/// <summary>registry:2's <c>auth.token</c>: an external token server's realm, service, issuer and signing keys.</summary>
internal sealed record TokenOptions(string Realm, string Service, string Issuer, TrustedKeys Keys)
{
    public static TokenOptions Bind(ConfigSection section)
    {
        var realm = section.GetRequiredString("realm");
        var service = section.GetRequiredString("service");
        var issuer = section.GetRequiredString("issuer");
        var bundle = section.GetString("rootcertbundle");
        var jwks = section.GetString("jwks");
        if (string.IsNullOrEmpty(bundle) && string.IsNullOrEmpty(jwks))
        {
            throw section.Error("rootcertbundle", "is required (or jwks): the certificates or keys that sign the tokens");
        }

        TrustedKeys keys;
        try
        {
            keys = TrustedKeys.Load(bundle, jwks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            var key = string.IsNullOrEmpty(bundle) ? "jwks" : "rootcertbundle";
            throw section.Error(key, $"cannot be read: {e.Message}");
        }

        return new TokenOptions(realm, service, issuer, keys);
    }
}
