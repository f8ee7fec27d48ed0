using Berth.Core.Configuration;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Routing;

/// <summary>
/// Builds the URLs registry responses hand back (Location, Link): relative when http.relativeurls is set, else
/// absolute from http.host, else from the request as the client (or its TLS-terminating proxy) addressed it.
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

        var request = context.Request;

        // registry:2 honours these from any proxy, and they only shape URLs the same client is sent back to.
        var scheme = FirstValue(request.Headers["X-Forwarded-Proto"]) ?? request.Scheme;
        var authority = FirstValue(request.Headers["X-Forwarded-Host"]) ?? request.Host.Value;
        return $"{scheme}://{authority}{pathAndQuery}";
    }

    public static string Blob(string name, string digest) => $"/v2/{name}/blobs/{digest}";

    public static string Upload(string name, string id) => $"/v2/{name}/blobs/uploads/{id}";

    public static string Manifest(string name, string reference) => $"/v2/{name}/manifests/{reference}";

    private static string? FirstValue(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var comma = header.IndexOf(',', StringComparison.Ordinal);
        return (comma >= 0 ? header[..comma] : header).Trim();
    }
}
