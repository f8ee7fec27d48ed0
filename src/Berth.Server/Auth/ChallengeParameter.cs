using System.Globalization;
using System.Text;

namespace Berth.Server.Auth;

/// <summary>
/// Quotes a <c>WWW-Authenticate</c> parameter value. RFC 9110: "a sender SHOULD NOT generate a quoted-pair in a
/// quoted-string except where necessary to quote DQUOTE and backslash octets". registry:2 formats these with Go's
/// <c>%q</c>, which escapes the same two and writes other unprintable characters as escapes; so does this, because
/// Kestrel refuses to send a header with control or non-ASCII characters (a configured realm would turn every
/// challenge into a 500).
/// </summary>
internal static class ChallengeParameter
{
    public static string Quote(string value)
    {
        if (!value.AsSpan().ContainsAnyExcept(Plain))
        {
            return $"\"{value}\"";
        }

        var quoted = new StringBuilder(value.Length + 8).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c is < ' ' or > '~')
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('"').ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Plain = System.Buffers.SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");
}
