using Berth.Core.Configuration;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Routing;

/// <summary>
/// Builds the URLs registry responses hand back (Location, Link): relative when http.relativeurls is set, else
/// absolute from http.host, else from the request as the client addressed it (or as a proxy in http.trustedproxies
/// says it was addressed: the forwarded-headers middleware has already applied those to the request).
/// </summary>
internal static class RegistryUrls
{
    public static string Absolute(HttpContext context, HttpOptions http, string pathAndQuery)
    {
        if (http.RelativeUrls)
        {
            return pathAndQuery;
        }

        if (http.Host is { } host)
        {
            return host + pathAndQuery;
        }

        // Not X-Forwarded-* from the headers: anyone can send those, and the token realm built here is where clients
        // send passwords.
        var request = context.Request;
        return $"{request.Scheme}://{request.Host.Value}{pathAndQuery}";
    }

    public static string Blob(string name, string digest) => $"/v2/{name}/blobs/{digest}";

    public static string Upload(string name, string id) => $"/v2/{name}/blobs/uploads/{id}";

    public static string Manifest(string name, string reference) => $"/v2/{name}/manifests/{reference}";
}
