using System.Text.RegularExpressions;

namespace Berth.Core.Names;

/// <summary>Tag grammar from the distribution-spec.</summary>
public static partial class TagName
{
    // distribution-spec: <reference> as a tag MUST be at most 128 characters and match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static bool IsValid(string? text) => !string.IsNullOrEmpty(text) && Grammar().IsMatch(text);
}
