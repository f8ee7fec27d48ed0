using System.Security.Cryptography;

namespace Berth.Core.Digests;

/// <summary>The digest algorithms a registry accepts: sha256 (canonical) and sha512.</summary>
public sealed class DigestAlgorithm
{
    public static readonly DigestAlgorithm Sha256 = new("sha256", HashAlgorithmName.SHA256, 64);
    public static readonly DigestAlgorithm Sha512 = new("sha512", HashAlgorithmName.SHA512, 128);

    private DigestAlgorithm(string name, HashAlgorithmName hashName, int hexLength)
    {
        Name = name;
        HashName = hashName;
        HexLength = hexLength;
    }

    public string Name { get; }

    public HashAlgorithmName HashName { get; }

    public int HexLength { get; }

    public static DigestAlgorithm? FromName(ReadOnlySpan<char> name) =>
        name.SequenceEqual("sha256") ? Sha256 : name.SequenceEqual("sha512") ? Sha512 : null;

    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(HashName);

    public byte[] HashData(ReadOnlySpan<byte> content) =>
        this == Sha256 ? SHA256.HashData(content) : SHA512.HashData(content);

    public override string ToString() => Name;
}
