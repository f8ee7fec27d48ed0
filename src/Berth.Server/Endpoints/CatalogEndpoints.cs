using Berth.Server.Hosting;
using Berth.Server.Json;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Endpoints;

internal static class CatalogEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext context, RegistryServices registry)
    {
        var maxEntries = registry.Configuration.Catalog.MaxEntries;
        var (limit, last, error) = Pagination.Read(context.Request, maxEntries, maxEntries);
        if (error is not null)
        {
            return error;
        }

        // One more than asked tells whether a next page exists without a second walk.
        var names = await registry.Catalog.ListAsync(limit + 1, last, context.RequestAborted);
        var page = names.Take(limit).ToList();
        if (names.Count > limit && page.Count > 0)
        {
            Pagination.SetNextLink(context.Response, "/v2/_catalog", page[^1], limit);
        }

        return TypedResults.Json(new CatalogPage(page), RegistryJsonContext.Default.CatalogPage);
    }
}
