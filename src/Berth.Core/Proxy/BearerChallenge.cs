using System.Net.Http.Headers;

namespace Berth.Core.Proxy;

/// <summary>A <c>WWW-Authenticate: Bearer realm=…,service=…</c> challenge, as Docker Hub and most registries send it.</summary>
internal sealed record BearerChallenge(Uri Realm, string? Service)
{
    public static BearerChallenge? From(HttpResponseHeaders headers)
    {
        foreach (var value in headers.WwwAuthenticate)
        {
            if (!string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
            {
                continue;
            }

            var parameters = Parse(value.Parameter);
            if (parameters.TryGetValue("realm", out var realm) && Uri.TryCreate(realm, UriKind.Absolute, out var uri))
            {
                return new BearerChallenge(uri, parameters.GetValueOrDefault("service"));
            }
        }

        return null;
    }

    public static bool IsBasic(HttpResponseHeaders headers) =>
        headers.WwwAuthenticate.Any(v => string.Equals(v.Scheme, "Basic", StringComparison.OrdinalIgnoreCase));

    /// <summary>RFC 7235 auth-params: comma-separated name=value pairs, values optionally quoted with \-escapes.</summary>
    private static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var name = text[i..equals].Trim();
            i = equals + 1;
            var value = new System.Text.StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i++]);
                }
            }

            result[name] = value.ToString().Trim();
        }

        return result;
    }
}
