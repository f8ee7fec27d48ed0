using System.Globalization;
using Berth.Core.Digests;
using Berth.Core.Errors;
using Berth.Core.Names;
using Berth.Core.Uploads;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Endpoints;

internal static class UploadEndpoints
{
    public static async Task<IResult> StartAsync(HttpContext context, RegistryServices registry, RepositoryName name)
    {
        var query = context.Request.Query;
        var cancellationToken = context.RequestAborted;

        if (query.TryGetValue("mount", out var mount))
        {
            if (!Digest.TryParse(mount, out var mountDigest))
            {
                return Problems.DigestInvalid(mount);
            }

            // distribution-spec: when the blob cannot be mounted the registry falls back to a regular upload session.
            if (RepositoryName.TryParse(query["from"], out var from) &&
                await registry.Uploads.MountAsync(name, from, mountDigest, cancellationToken) is { } mounted)
            {
                return BlobCreated(context, registry, name, mounted.Digest);
            }
        }
        else if (query.TryGetValue("digest", out var digestText))
        {
            if (!Digest.TryParse(digestText, out var digest))
            {
                return Problems.DigestInvalid(digestText);
            }

            var outcome = await registry.Uploads.PutMonolithicAsync(name, digest, context.Request.Body, context.Request.ContentLength, cancellationToken);
            return CompletionResult(context, registry, name, digest, outcome);
        }

        var status = await registry.Uploads.StartAsync(name, Caller(context), cancellationToken);
        SetSessionHeaders(context, registry, name, status.Id, 0);
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> StatusAsync(HttpContext context, RegistryServices registry, RepositoryName name, string id)
    {
        var status = await IsCallersSessionAsync(context, registry, name, id) ? await registry.Uploads.GetAsync(name, id, context.RequestAborted) : null;
        if (status is null)
        {
            return Problems.UploadUnknown(id);
        }

        SetSessionHeaders(context, registry, name, id, status.Size);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> PatchAsync(HttpContext context, RegistryServices registry, RepositoryName name, string id)
    {
        if (!await IsCallersSessionAsync(context, registry, name, id))
        {
            return Problems.UploadUnknown(id);
        }

        var (appended, error) = await AppendBodyAsync(context, registry, name, id);
        if (error is not null)
        {
            return error;
        }

        SetSessionHeaders(context, registry, name, id, appended!.Size);
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    public static async Task<IResult> CompleteAsync(HttpContext context, RegistryServices registry, RepositoryName name, string id)
    {
        if (!await IsCallersSessionAsync(context, registry, name, id))
        {
            return Problems.UploadUnknown(id);
        }

        var digestText = context.Request.Query["digest"];
        if (!Digest.TryParse(digestText, out var digest))
        {
            return Problems.DigestInvalid(digestText);
        }

        var request = context.Request;
        if (request.ContentLength is { } length and > 0 && request.Headers.ContentRange.Count == 0 &&
            await registry.Uploads.CompleteSmallAsync(name, id, digest, request.Body, length, context.RequestAborted) is { } small)
        {
            return CompletionResult(context, registry, name, digest, small);
        }

        if (HasBody(request))
        {
            var (_, error) = await AppendBodyAsync(context, registry, name, id);
            if (error is not null)
            {
                return error;
            }
        }

        var outcome = await registry.Uploads.CompleteAsync(name, id, digest, context.RequestAborted);
        return CompletionResult(context, registry, name, digest, outcome);
    }

    public static async Task<IResult> CancelAsync(HttpContext context, RegistryServices registry, RepositoryName name, string id)
    {
        if (!await IsCallersSessionAsync(context, registry, name, id) || await registry.Uploads.GetAsync(name, id, context.RequestAborted) is null)
        {
            return Problems.UploadUnknown(id);
        }

        await registry.Uploads.CancelAsync(name, id, context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A session is addressed by its id, which travels in URLs and logs; it answers only its opener, and to anyone
    /// else it does not exist (BLOB_UPLOAD_UNKNOWN, as for an id never issued).
    /// </summary>
    private static async Task<bool> IsCallersSessionAsync(HttpContext context, RegistryServices registry, RepositoryName name, string id) =>
        UploadId.IsValid(id) && await registry.Uploads.BelongsToAsync(name, id, Caller(context), context.RequestAborted);

    /// <summary>
    /// Null only without auth. A caller with no name (a token without <c>sub</c>) is the anonymous identity "",
    /// not nobody: null would let it continue every user's session.
    /// </summary>
    private static string? Caller(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true } identity ? identity.Name ?? string.Empty : null;

    private static async Task<(AppendOutcome? Outcome, IResult? Error)> AppendBodyAsync(HttpContext context, RegistryServices registry, RepositoryName name, string id)
    {
        var request = context.Request;
        long? rangeStart = null;
        long? expectedLength = request.ContentLength;
        var contentRange = request.Headers.ContentRange.ToString();
        if (contentRange.Length > 0)
        {
            if (!TryParseContentRange(contentRange, out var start, out var end))
            {
                return (null, Problems.Of(ErrorCode.RangeInvalid, $"invalid Content-Range '{contentRange}': expected <start>-<end>"));
            }

            rangeStart = start;
            if (expectedLength is not 0)
            {
                if (expectedLength is { } length && length != end - start + 1)
                {
                    return (null, Problems.Of(ErrorCode.SizeInvalid, $"Content-Length {length} does not match Content-Range {contentRange}"));
                }

                expectedLength = end - start + 1;
            }

            // An empty chunk appends nothing, whatever range it names (clients send "0-0"); registry:2 accepts it.
        }

        var outcome = await registry.Uploads.AppendAsync(name, id, request.Body, rangeStart, expectedLength, context.RequestAborted);
        switch (outcome.Result)
        {
            case AppendResult.UploadUnknown:
                return (null, Problems.UploadUnknown(id));
            case AppendResult.RangeMismatch:
                // distribution-spec: "a 416 MUST be returned if a chunk is uploaded out of order"; the Range header
                // tells the client where to resume.
                SetSessionHeaders(context, registry, name, id, outcome.Size);
                context.Response.ContentLength = null; // the error body follows
                return (null, Problems.Of(ErrorCode.RangeInvalid, $"chunk does not start at the end of the upload: {outcome.Size} bytes received so far"));
            case AppendResult.LengthMismatch:
                SetSessionHeaders(context, registry, name, id, outcome.Size);
                context.Response.ContentLength = null; // the error body follows
                return (null, Problems.Of(ErrorCode.SizeInvalid, "the body was not as long as Content-Length or Content-Range said"));
            default:
                return (outcome, null);
        }
    }

    private static IResult CompletionResult(HttpContext context, RegistryServices registry, RepositoryName name, Digest digest, CompleteOutcome outcome) =>
        outcome.Result switch
        {
            CompleteResult.Committed => BlobCreated(context, registry, name, digest),
            CompleteResult.UploadUnknown => Problems.UploadUnknown(context.Request.Path),
            CompleteResult.LengthMismatch => Problems.Of(ErrorCode.SizeInvalid, $"received {outcome.Size} bytes, which is not the Content-Length the request announced"),
            _ => Problems.Of(new RegistryError(ErrorCode.DigestInvalid, $"the uploaded content ({outcome.Size} bytes) does not match digest {digest}", new Dictionary<string, string> { ["digest"] = digest.Value })),
        };

    private static IResult BlobCreated(HttpContext context, RegistryServices registry, RepositoryName name, Digest digest)
    {
        var headers = context.Response.Headers;
        headers.Location = RegistryUrls.Absolute(context, registry.Configuration.Http, RegistryUrls.Blob(name.Value, digest.Value));
        headers[RegistryHeaders.ContentDigest] = digest.Value;
        context.Response.ContentLength = 0;
        return TypedResults.StatusCode(StatusCodes.Status201Created);
    }

    private static void SetSessionHeaders(HttpContext context, RegistryServices registry, RepositoryName name, string id, long size)
    {
        var headers = context.Response.Headers;
        headers.Location = RegistryUrls.Absolute(context, registry.Configuration.Http, RegistryUrls.Upload(name.Value, id));
        headers[RegistryHeaders.UploadUuid] = id;

        // registry:2 reports an empty upload as "0-0" too; clients read the end as the last byte received.
        headers.Range = $"0-{Math.Max(size - 1, 0)}";
        context.Response.ContentLength = 0;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.ContentLength is null && request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>registry:2 sends "start-end"; some clients prefix "bytes " or add "/total".</summary>
    private static bool TryParseContentRange(string text, out long start, out long end)
    {
        start = end = 0;
        var span = text.AsSpan().Trim();
        if (span.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            span = span[5..].TrimStart(' ').TrimStart('=');
        }

        var slash = span.IndexOf('/');
        if (slash >= 0)
        {
            span = span[..slash];
        }

        var dash = span.IndexOf('-');
        return dash > 0 &&
            long.TryParse(span[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out start) &&
            long.TryParse(span[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out end) &&
            end >= start;
    }
}
