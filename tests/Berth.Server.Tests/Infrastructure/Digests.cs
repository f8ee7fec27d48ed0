using System.Security.Cryptography;

namespace Berth.Server.Tests.Infrastructure;

public static class Digests
{
    public static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Sha512(ReadOnlySpan<byte> content) => "sha512:" + Convert.ToHexStringLower(SHA512.HashData(content));

    /// <summary>A well-formed digest that no test content hashes to.</summary>
    public static string Unknown() => Sha256(Guid.NewGuid().ToByteArray());

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);
}
