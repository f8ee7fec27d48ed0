using Berth.Core.Names;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Berth.Server.Json;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Endpoints;

internal static class TagEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext context, RegistryServices registry, RepositoryName name)
    {
        var (limit, last, error) = Pagination.Read(context.Request, int.MaxValue, int.MaxValue);
        if (error is not null)
        {
            return error;
        }

        var tags = await registry.Tags.ListAsync(name, context.RequestAborted);
        if (tags is null)
        {
            if (!await registry.Catalog.ExistsAsync(name, context.RequestAborted))
            {
                return Problems.NameUnknown(name.Value);
            }

            tags = [];
        }

        var page = tags.Where(t => last is null || string.CompareOrdinal(t, last) > 0).Take(limit).ToList();
        if (page.Count > 0 && page.Count == limit && string.CompareOrdinal(page[^1], tags[^1]) < 0)
        {
            Pagination.SetNextLink(context.Response, $"/v2/{name.Value}/tags/list", page[^1], limit);
        }

        return TypedResults.Json(new TagList(name.Value, page), RegistryJsonContext.Default.TagList);
    }
}
