using System.Security.Cryptography;
using Berth.Server.Auth.Token;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Server.Auth.Builtin;

/// <summary>
/// The built-in issuer's signing key: a PEM private key (EC P-256/384/521 or RSA) from <c>signingkey</c>, created
/// (EC P-256, mode 0600) on first start when the file does not exist, so tokens survive restarts and instances that
/// share the file accept each other's tokens. Its <c>kid</c> is the libtrust key ID registry:2 uses.
/// </summary>
internal sealed class SigningKey
{
    private SigningKey(AsymmetricSecurityKey key, string algorithm, string keyId)
    {
        Key = key;
        Algorithm = algorithm;
        KeyId = keyId;
        key.KeyId = keyId;
    }

    public AsymmetricSecurityKey Key { get; }

    public string Algorithm { get; }

    public string KeyId { get; }

    /// <summary>Loads the key at <paramref name="path"/>; creates it first if missing. Returns whether it was created.</summary>
    public static (SigningKey Key, bool Created) LoadOrCreate(string path)
    {
        var created = false;
        if (!File.Exists(path))
        {
            using var generated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            created = PrivateFile.TryCreate(path, generated.ExportPkcs8PrivateKeyPem());
        }

        return (FromPem(File.ReadAllText(path)), created);
    }

    /// <summary>A key that lives only as long as the process: tokens die with it.</summary>
    public static SigningKey Ephemeral() => FromEcdsa(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static SigningKey FromPem(string pem)
    {
        if (pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal))
        {
            return FromRsa(pem);
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return FromEcdsa(ec);
        }
        catch (CryptographicException)
        {
            ec.Dispose();
            return FromRsa(pem);
        }
    }

    private static SigningKey FromEcdsa(ECDsa ec)
    {
        var algorithm = ec.KeySize switch
        {
            256 => SecurityAlgorithms.EcdsaSha256,
            384 => SecurityAlgorithms.EcdsaSha384,
            521 => SecurityAlgorithms.EcdsaSha512,
            _ => throw new CryptographicException($"EC keys of {ec.KeySize} bits are not supported; use P-256, P-384 or P-521"),
        };
        return new SigningKey(new ECDsaSecurityKey(ec), algorithm, LibtrustKeyId.Of(ec));
    }

    private static SigningKey FromRsa(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        if (rsa.KeySize < 2048)
        {
            throw new CryptographicException($"an RSA key of {rsa.KeySize} bits is too weak; use at least 2048");
        }

        return new SigningKey(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256, LibtrustKeyId.Of(rsa));
    }
}
