using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Berth.Core.Names;

/// <summary>A repository name that matched the distribution-spec grammar, so it is safe to use as a storage path.</summary>
public sealed partial class RepositoryName : IEquatable<RepositoryName>
{
    // registry:2 refuses names longer than 255 characters (reference.NameTotalLengthMax).
    public const int MaxLength = 255;

    private RepositoryName(string value) => Value = value;

    public string Value { get; }

    // distribution-spec: <name> MUST match [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static bool TryParse(string? text, [NotNullWhen(true)] out RepositoryName? name)
    {
        name = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !Grammar().IsMatch(text))
        {
            return false;
        }

        name = new RepositoryName(text);
        return true;
    }

    public bool Equals(RepositoryName? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is RepositoryName other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;
}
