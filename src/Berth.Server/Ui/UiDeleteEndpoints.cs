using Berth.Core.Browsing;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Ui;

/// <summary>
/// The UI API's deletes, through the registry's write path. Each needs <c>storage.delete.enabled</c>, the caller's
/// delete grant on the repository, and the <see cref="RequestHeader"/> header: a cross-site form or a simple request
/// cannot set it, and a cross-origin script cannot send it without a CORS preflight Berth never answers.
/// </summary>
internal static class UiDeleteEndpoints
{
    public const string RequestHeader = "X-Berth-Request";

    /// <summary>Deletes one tag: its link only, so other tags of the same digest and the manifest stay.</summary>
    public static Task<IResult> TagAsync(HttpContext context, RegistryServices registry, RepositoryIndex index) =>
        DeleteAsync(context, registry, index, async repository =>
        {
            var tag = context.Request.Query["tag"].ToString();
            if (!TagName.IsValid(tag))
            {
                return Problems.TagInvalid(tag);
            }

            return await registry.Writer.DeleteTagAsync(repository, tag, context.RequestAborted) ? TypedResults.NoContent() : Problems.ManifestUnknown(tag);
        });

    /// <summary>Deletes a manifest and, as the registry API does, every tag that points to it.</summary>
    public static Task<IResult> ManifestAsync(HttpContext context, RegistryServices registry, RepositoryIndex index) =>
        DeleteAsync(context, registry, index, async repository =>
        {
            var text = context.Request.Query["digest"].ToString();
            if (!Digest.TryParse(text, out var digest))
            {
                return Problems.DigestInvalid(text);
            }

            return await registry.Manifests.DeleteAsync(repository, digest, context.RequestAborted) ? TypedResults.NoContent() : Problems.ManifestUnknown(text);
        });

    /// <summary>Deletes every tag and every manifest of a repository (its blob data stays for garbage collection).</summary>
    public static Task<IResult> RepositoryAsync(HttpContext context, RegistryServices registry, RepositoryIndex index) =>
        DeleteAsync(context, registry, index, async repository =>
        {
            var cancel = context.RequestAborted;
            foreach (var tag in await registry.Tags.ListAsync(repository, cancel) ?? [])
            {
                await registry.Writer.DeleteTagAsync(repository, tag, cancel);
            }

            foreach (var digest in await registry.Manifests.ListRevisionsAsync(repository, cancel))
            {
                await registry.Manifests.DeleteAsync(repository, digest, cancel);
            }

            return TypedResults.NoContent();
        });

    private static async Task<IResult> DeleteAsync(HttpContext context, RegistryServices registry, RepositoryIndex index, Func<RepositoryName, Task<IResult>> delete)
    {
        if (!context.Request.Headers.ContainsKey(RequestHeader))
        {
            return Problems.Of(Core.Errors.ErrorCode.Denied, $"deletes from the UI API need the {RequestHeader} header", StatusCodes.Status403Forbidden);
        }

        if (!registry.Configuration.Storage.DeleteEnabled)
        {
            return Problems.DeleteDisabled();
        }

        if (registry.Configuration.Storage.ReadOnly)
        {
            return Problems.ReadOnly();
        }

        if (UiBrowseEndpoints.ReadRepository(context) is not { } repository)
        {
            return UiBrowseEndpoints.UnknownRepository(context);
        }

        if (!UiAccess.For(context).CanDelete(repository.Value))
        {
            return Problems.Of(Core.Errors.ErrorCode.Denied, $"no delete access to repository {repository}", StatusCodes.Status403Forbidden);
        }

        try
        {
            return await delete(repository);
        }
        finally
        {
            // The event reaches the index a moment later; the UI reloads the page at once.
            index.Forget(repository);
        }
    }
}
