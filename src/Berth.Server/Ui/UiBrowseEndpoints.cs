using System.Text.Json;
using Berth.Core.Browsing;
using Berth.Core.Digests;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Ui;

/// <summary>
/// The read side of the UI API (docs/ui.md): one request answers one screen. Every repository is checked against the
/// caller's grants before anything about it is read, and a repository the caller may not pull is answered as unknown.
/// </summary>
internal static class UiBrowseEndpoints
{
    public static IResult Session(HttpContext context, RegistryServices registry)
    {
        var access = UiAccess.For(context);
        var host = registry.Configuration.Http.Host is { } configured && Uri.TryCreate(configured, UriKind.Absolute, out var uri)
            ? uri.Authority
            : context.Request.Host.Value ?? "localhost";
        var body = new SessionResponse(access.UserName, registry.Configuration.Storage.DeleteEnabled, host, access.AuthRequired);
        return TypedResults.Json(body, UiJsonContext.Default.SessionResponse);
    }

    public static async Task<IResult> RepositoriesAsync(HttpContext context, RepositoryIndex index)
    {
        var (paging, error) = UiPaging.Read(context.Request, "name", "pushed", "size", "tags");
        if (error is not null)
        {
            return Problems.Of(Core.Errors.ErrorCode.Unsupported, error, StatusCodes.Status400BadRequest);
        }

        var access = UiAccess.For(context);
        var search = context.Request.Query["q"].ToString().Trim();
        var names = (await index.ListNamesAsync(context.RequestAborted))
            .Where(n => search.Length == 0 || n.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Where(access.CanPull)
            .Select(n => RepositoryName.TryParse(n, out var name) ? name : null)
            .OfType<RepositoryName>()
            .ToList();

        IReadOnlyList<RepositorySummary> page;
        if (paging.Sort == "name")
        {
            // Sorting by name needs no summary: read only the page's repositories.
            page = await index.GetSummariesAsync(paging.Slice(paging.Order(names, n => n.Value, StringComparer.Ordinal)), context.RequestAborted);
        }
        else
        {
            var all = await index.GetSummariesAsync(names, context.RequestAborted);
            page = paging.Slice(paging.Sort switch
            {
                "pushed" => paging.Order(all, s => s.LastPush ?? DateTimeOffset.MinValue).ThenBy(s => s.Name, StringComparer.Ordinal),
                "size" => paging.Order(all, s => s.Size).ThenBy(s => s.Name, StringComparer.Ordinal),
                _ => paging.Order(all, s => s.TagCount).ThenBy(s => s.Name, StringComparer.Ordinal),
            });
        }

        var items = page.Select(s => new RepositoryItem(s.Name, s.TagCount, s.Size, s.LastPush)).ToList();
        return TypedResults.Json(new PageResponse<RepositoryItem>(names.Count, paging.Page, paging.PerPage, items), UiJsonContext.Default.PageResponseRepositoryItem);
    }

    public static async Task<IResult> TagsAsync(HttpContext context, RepositoryIndex index)
    {
        var (paging, error) = UiPaging.Read(context.Request, "name", "pushed", "size", "platforms", "created");
        if (error is not null)
        {
            return Problems.Of(Core.Errors.ErrorCode.Unsupported, error, StatusCodes.Status400BadRequest);
        }

        if (ReadRepository(context) is not { } repository)
        {
            return UnknownRepository(context);
        }

        var tags = await index.GetTagsAsync(repository, context.RequestAborted);
        var sorted = paging.Sort switch
        {
            "pushed" => paging.Order(tags, t => t.Pushed),
            "size" => paging.Order(tags, t => t.Image.Size),
            "platforms" => paging.Order(tags, t => t.Image.Platforms.Count),
            "created" => paging.Order(tags, t => t.Image.Created ?? DateTimeOffset.MinValue),
            _ => paging.Order(tags, t => t.Name, StringComparer.Ordinal),
        };
        var items = paging.Slice(paging.Sort == "name" ? sorted : sorted.ThenBy(t => t.Name, StringComparer.Ordinal))
            .Select(t => new TagItem(t.Name, t.Image.Digest.Value, t.Image.MediaType, t.Image.Size, t.Image.Platforms, t.Image.Created, t.Pushed, t.Image.ArtifactType))
            .ToList();
        var body = new TagPage(repository.Value, UiAccess.For(context).CanDelete(repository.Value), tags.Count, paging.Page, paging.PerPage, items);
        return TypedResults.Json(body, UiJsonContext.Default.TagPage);
    }

    public static async Task<IResult> ImageAsync(HttpContext context, RegistryServices registry, RepositoryIndex index, ImageSummaryReader images)
    {
        if (ReadRepository(context) is not { } repository)
        {
            return UnknownRepository(context);
        }

        var reference = context.Request.Query["reference"].ToString();
        var cancel = context.RequestAborted;
        if (!Digest.TryParse(reference, out _) && !TagName.IsValid(reference))
        {
            return Problems.ManifestUnknown(reference);
        }

        if (await registry.Manifests.ResolveAsync(repository, reference, cancel) is not { } digest
            || await registry.Manifests.GetAsync(repository, digest, cancel) is not { } stored)
        {
            return Problems.ManifestUnknown(reference);
        }

        var manifest = ManifestParser.Parse(stored.Content, stored.MediaType).Manifest;
        var config = manifest?.Config is { } c ? await images.ReadConfigAsync(repository, c, cancel) : null;
        var referrers = await registry.Referrers.ListAsync(repository, digest, null, cancel);
        var summary = await images.GetAsync(repository, digest, cancel);
        var tags = (await index.GetTagsAsync(repository, cancel)).Where(t => t.Image.Digest.Equals(digest)).Select(t => t.Name).ToList();
        var body = new ImageResponse(
            repository.Value,
            digest.Value,
            stored.MediaType,
            summary?.Size ?? stored.Content.Length,
            tags,
            UiAccess.For(context).CanDelete(repository.Value),
            ParseJson(stored.Content),
            config is null ? null : ParseJson(config),
            manifest?.Layers.Select(Item).ToList() ?? [],
            manifest?.Manifests.Select(Item).ToList() ?? [],
            referrers.Select(Item).ToList());
        return TypedResults.Json(body, UiJsonContext.Default.ImageResponse);
    }

    /// <summary>The <c>repository</c> parameter when it is a valid name the caller may pull; null otherwise.</summary>
    public static RepositoryName? ReadRepository(HttpContext context)
    {
        var text = context.Request.Query["repository"].ToString();
        return Auth.AccessRecords.IsRepositoryName(text) && RepositoryName.TryParse(text, out var name) && UiAccess.For(context).CanPull(name.Value)
            ? name
            : null;
    }

    /// <summary>Unknown and forbidden look the same, so the API does not reveal what exists.</summary>
    public static IResult UnknownRepository(HttpContext context)
    {
        var name = context.Request.Query["repository"].ToString();
        return Problems.Of(Core.Errors.ErrorCode.NameUnknown, $"repository not known or not accessible: {name[..Math.Min(name.Length, RepositoryName.MaxLength)]}", StatusCodes.Status404NotFound);
    }

    private static DescriptorItem Item(Descriptor d) =>
        new(d.Digest.Value, d.MediaType, d.Size, d.Platform is { } p ? (p.Variant is null ? $"{p.Os}/{p.Architecture}" : $"{p.Os}/{p.Architecture}/{p.Variant}") : null, d.ArtifactType, d.Annotations);

    private static JsonElement? ParseJson(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
