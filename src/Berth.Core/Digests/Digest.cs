using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Berth.Core.Digests;

/// <summary>A validated content digest such as <c>sha256:4a5e…</c>.</summary>
public sealed partial class Digest : IEquatable<Digest>
{
    private Digest(DigestAlgorithm algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
        Value = algorithm.Name + ":" + encoded;
    }

    public DigestAlgorithm Algorithm { get; }

    /// <summary>The lowercase hex part after the colon.</summary>
    public string Encoded { get; }

    public string Value { get; }

    // distribution-spec: digest ::= algorithm ":" encoded; sha256 encoded is [a-f0-9]{64}, sha512 is [a-f0-9]{128}.
    public static bool TryParse(string? text, [NotNullWhen(true)] out Digest? digest)
    {
        digest = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var algorithm = DigestAlgorithm.FromName(text.AsSpan(0, colon));
        if (algorithm is null)
        {
            return false;
        }

        var encoded = text.AsSpan(colon + 1);
        if (encoded.Length != algorithm.HexLength || !IsLowerHex(encoded))
        {
            return false;
        }

        digest = new Digest(algorithm, encoded.ToString());
        return true;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is shaped like a digest (<c>algorithm:hex</c>) even if it is not a valid one.
    /// registry:2 routes only such references to its digest handlers (answering a malformed one with 400
    /// DIGEST_INVALID); anything else names no resource at all (404).
    /// </summary>
    public static bool HasDigestShape(string? text) => text is not null && DigestShape().IsMatch(text);

    [GeneratedRegex(@"^[a-zA-Z0-9_+.-]+:[a-fA-F0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestShape();

    public static Digest FromHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    public static Digest Compute(DigestAlgorithm algorithm, ReadOnlySpan<byte> content) =>
        FromHash(algorithm, algorithm.HashData(content));

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(Digest? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Digest other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;
}
