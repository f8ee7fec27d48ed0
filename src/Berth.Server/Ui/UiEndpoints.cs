using Berth.Core.Browsing;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Ui;

/// <summary>
/// Maps the web UI (<c>/</c>, <c>/ui/*</c>) and its JSON API (<c>/api/v1/*</c>). The static files are open to anyone
/// (they hold no data); the API sits behind the registry's fallback authorization policy like every endpoint.
/// </summary>
public static class UiEndpoints
{
    public const string ApiPrefix = "/api/v1";

    // The UI's own files only: no inline script or style, no other origin, not frameable.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder endpoints, bool enabled)
    {
        if (!enabled)
        {
            // registry:2 answers / with an empty 200.
            endpoints.Map("/", (HttpContext context) => EmptyOk(context)).AllowAnonymous();
            return endpoints;
        }

        var assets = new UiAssets();
        endpoints.Map("/", (HttpContext context) => Root(context, assets)).AllowAnonymous();
        endpoints.MapGet("/ui/{file}", (HttpContext context, string file) => Serve(context, assets.Find(file))).AllowAnonymous();

        endpoints.MapGet(ApiPrefix + "/session", UiBrowseEndpoints.Session);
        endpoints.MapGet(ApiPrefix + "/repositories", UiBrowseEndpoints.RepositoriesAsync);
        endpoints.MapGet(ApiPrefix + "/tags", UiBrowseEndpoints.TagsAsync);
        endpoints.MapGet(ApiPrefix + "/image", UiBrowseEndpoints.ImageAsync);
        endpoints.MapDelete(ApiPrefix + "/tags", UiDeleteEndpoints.TagAsync);
        endpoints.MapDelete(ApiPrefix + "/manifests", UiDeleteEndpoints.ManifestAsync);
        endpoints.MapDelete(ApiPrefix + "/repositories", UiDeleteEndpoints.RepositoryAsync);
        return endpoints;
    }

    /// <summary>
    /// Browsers get the UI; HEAD and every other client (load balancers probing /) get registry:2's empty 200, which
    /// costs nothing.
    /// </summary>
    private static IResult Root(HttpContext context, UiAssets assets)
    {
        var request = context.Request;
        var wantsHtml = HttpMethods.IsGet(request.Method)
            && request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
        return wantsHtml ? Serve(context, assets.Find("index.html")) : EmptyOk(context);
    }

    /// <summary>registry:2's answer to /: 200, no-cache and Content-Length 0 (not an empty chunked body).</summary>
    private static IResult EmptyOk(HttpContext context)
    {
        context.Response.ContentLength = 0;
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok();
    }

    private static IResult Serve(HttpContext context, UiAsset? asset)
    {
        if (asset is null)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: new EntityTagHeaderValue(asset.ETag));
    }
}
