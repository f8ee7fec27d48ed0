using System.Security.Cryptography;
using System.Text;

namespace Berth.Server.Auth.Token;

/// <summary>
/// The key ID registry:2 (docker/libtrust) gives a public key: SHA-256 of its DER SubjectPublicKeyInfo, first 240
/// bits, base32, in colon-separated groups of four (<c>ABCD:EFGH:…</c>). Token servers written for registry:2 put
/// this in the JWT <c>kid</c> header.
/// </summary>
internal static class LibtrustKeyId
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Of(AsymmetricAlgorithm key)
    {
        var spki = key switch
        {
            ECDsa ec => ec.ExportSubjectPublicKeyInfo(),
            RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
            _ => throw new NotSupportedException($"unsupported key type {key.GetType().Name}"),
        };
        var digest = SHA256.HashData(spki).AsSpan(0, 30);

        // 30 bytes are 240 bits: exactly 48 base32 characters, so no padding to trim.
        var encoded = new StringBuilder(60);
        var buffer = 0;
        var bits = 0;
        foreach (var b in digest)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                if (encoded.Length % 5 == 4)
                {
                    encoded.Append(':');
                }

                encoded.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return encoded.ToString();
    }
}
