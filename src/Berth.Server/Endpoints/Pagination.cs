using System.Globalization;
using Berth.Core.Errors;
using Berth.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Endpoints;

/// <summary>The <c>n</c> and <c>last</c> query parameters of tags/list and _catalog, and their Link header.</summary>
internal static class Pagination
{
    public static (int Limit, string? Last, IResult? Error) Read(HttpRequest request, int defaultLimit, int maxLimit)
    {
        var last = request.Query["last"].ToString();
        var nText = request.Query["n"].ToString();
        if (nText.Length == 0)
        {
            return (defaultLimit, last.Length == 0 ? null : last, null);
        }

        if (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return (0, null, Problems.Of(ErrorCode.PaginationNumberInvalid, $"invalid number of results requested: '{nText}'"));
        }

        return (Math.Min(n, maxLimit), last.Length == 0 ? null : last, null);
    }

    /// <summary>Sets <c>Link: &lt;path?last=…&amp;n=…&gt;; rel="next"</c> when a full page suggests more results.</summary>
    public static void SetNextLink(HttpResponse response, string path, string lastReturned, int limit)
    {
        path = Routing.RegistryUrls.Relative(response.HttpContext, path);
        response.Headers.Link = $"<{path}?last={Uri.EscapeDataString(lastReturned)}&n={limit}>; rel=\"next\"";
    }
}
