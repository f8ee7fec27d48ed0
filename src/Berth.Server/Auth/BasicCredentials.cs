using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Auth;

/// <summary>RFC 7617 credentials from an <c>Authorization: Basic …</c> header.</summary>
internal readonly record struct BasicCredentials(string User, string Password)
{
    public static bool TryRead(HttpRequest request, out BasicCredentials credentials)
    {
        credentials = default;
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(decoded);

        // The user name ends at the first colon; the password may contain more.
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        credentials = new BasicCredentials(text[..colon], text[(colon + 1)..]);
        return true;
    }
}
