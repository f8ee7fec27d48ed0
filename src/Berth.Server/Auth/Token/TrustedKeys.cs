using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Server.Auth.Token;

/// <summary>
/// The keys a token may be signed with, as registry:2 trusts them: a certificate chain in the <c>x5c</c> header
/// that ends in <c>rootcertbundle</c>, or a <c>kid</c> naming a root certificate's key (libtrust key ID or RFC 7638
/// thumbprint) or a key of the <c>jwks</c> file.
/// </summary>
internal sealed class TrustedKeys
{
    private readonly X509Certificate2Collection _roots;
    private readonly Dictionary<string, SecurityKey> _byId;

    public TrustedKeys(X509Certificate2Collection roots, Dictionary<string, SecurityKey> byId)
    {
        _roots = roots;
        _byId = byId;
    }

    public static TrustedKeys Load(string? rootCertBundle, string? jwks)
    {
        var roots = new X509Certificate2Collection();
        var byId = new Dictionary<string, SecurityKey>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(rootCertBundle))
        {
            roots.ImportFromPemFile(rootCertBundle);
            if (roots.Count == 0)
            {
                throw new InvalidDataException($"{rootCertBundle} holds no PEM certificate");
            }

            foreach (var root in roots)
            {
                var key = PublicKeyOf(root);
                byId[LibtrustKeyId.Of(key is ECDsaSecurityKey ec ? ec.ECDsa : ((RsaSecurityKey)key).Rsa)] = key;
                byId[Base64UrlEncoder.Encode(key.ComputeJwkThumbprint())] = key;
            }
        }

        if (!string.IsNullOrEmpty(jwks))
        {
            var set = new JsonWebKeySet(File.ReadAllText(jwks));
            foreach (var key in set.Keys)
            {
                if (!string.IsNullOrEmpty(key.Kid))
                {
                    byId[key.Kid] = key;
                }
            }
        }

        return new TrustedKeys(roots, byId);
    }

    /// <summary>One key trusted by ID alone: the built-in issuer's own.</summary>
    public static TrustedKeys Single(string keyId, SecurityKey key) =>
        new([], new Dictionary<string, SecurityKey>(StringComparer.Ordinal) { [keyId] = key });

    public IEnumerable<SecurityKey> Resolve(JsonWebToken token)
    {
        if (token.TryGetHeaderValue<JsonElement>("x5c", out var x5c) && x5c.ValueKind == JsonValueKind.Array)
        {
            return ResolveChain(x5c) is { } leafKey ? [leafKey] : [];
        }

        return !string.IsNullOrEmpty(token.Kid) && _byId.TryGetValue(token.Kid, out var key) ? [key] : [];
    }

    private SecurityKey? ResolveChain(JsonElement x5c)
    {
        if (_roots.Count == 0 || x5c.GetArrayLength() == 0)
        {
            return null;
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var item in x5c.EnumerateArray())
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(item.GetString() ?? string.Empty)));
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

            // The chain is whatever an unauthenticated caller put in x5c: never fetch the AIA URLs it names.
            chain.ChainPolicy.DisableCertificateDownloads = true;
            foreach (var intermediate in certificates.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(intermediate);
            }

            return chain.Build(certificates[0]) ? PublicKeyOf(certificates[0]) : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or InvalidOperationException)
        {
            return null;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private static SecurityKey PublicKeyOf(X509Certificate2 certificate) =>
        certificate.GetECDsaPublicKey() is { } ec ? new ECDsaSecurityKey(ec)
        : certificate.GetRSAPublicKey() is { } rsa ? new RsaSecurityKey(rsa)
        : throw new InvalidDataException($"certificate {certificate.Subject} has neither an RSA nor an EC key");
}
