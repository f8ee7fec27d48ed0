using Berth.Core.Configuration;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Routing;

/// <summary>
/// Builds the URLs registry responses hand back (Location, Link): relative when http.relativeurls is set, else
/// absolute from http.host, else from the request as the client addressed it (or as a proxy in http.trustedproxies
/// says it was addressed: the forwarded-headers middleware has already applied those to the request). Paths are
/// given from <c>/v2/</c>; the <c>http.prefix</c> the request came under (its <c>PathBase</c>) goes in front.
/// </summary>
internal static class RegistryUrls
{
    public static string Absolute(HttpContext context, HttpOptions http, string pathAndQuery)
    {
        if (http.Host is { } host && !http.RelativeUrls)
        {
            // An http.host with a path of its own (https://example.com/registry) already names where the API is.
            return HasPath(host) ? host + pathAndQuery : host + Relative(context, pathAndQuery);
        }

        pathAndQuery = Relative(context, pathAndQuery);
        if (http.RelativeUrls)
        {
            return pathAndQuery;
        }

        // Not X-Forwarded-* from the headers: anyone can send those, and the token realm built here is where clients
        // send passwords.
        var request = context.Request;
        return $"{request.Scheme}://{request.Host.Value}{pathAndQuery}";
    }

    /// <summary>The path as the client must ask for it: under the prefix the request arrived with.</summary>
    public static string Relative(HttpContext context, string pathAndQuery) =>
        context.Request.PathBase.HasValue ? context.Request.PathBase.Value + pathAndQuery : pathAndQuery;

    private static bool HasPath(string host)
    {
        var authority = host.IndexOf("://", StringComparison.Ordinal);
        return host.IndexOf('/', authority < 0 ? 0 : authority + 3) >= 0;
    }

    public static string Blob(string name, string digest) => $"/v2/{name}/blobs/{digest}";

    public static string Upload(string name, string id) => $"/v2/{name}/blobs/uploads/{id}";

    public static string Manifest(string name, string reference) => $"/v2/{name}/manifests/{reference}";
}
