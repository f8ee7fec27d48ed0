using Microsoft.AspNetCore.Http;

namespace Berth.Server.Logging;

/// <summary>
/// The request's id: the client's or proxy's <c>X-Request-Id</c> when it is a sane token (so one id follows a
/// request through nginx and Berth), a new one otherwise. It is echoed on the response and logged as
/// <c>http.request.id</c>; a value that could forge log fields or grow without bound is never taken.
/// </summary>
internal static class RequestId
{
    public const string Header = "X-Request-Id";

    public const int MaxLength = 128;

    public static string From(HttpRequest request)
    {
        var values = request.Headers[Header];
        return values.Count == 1 && IsSane(values[0]) ? values[0]! : Guid.NewGuid().ToString();
    }

    public static bool IsSane(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }
}
