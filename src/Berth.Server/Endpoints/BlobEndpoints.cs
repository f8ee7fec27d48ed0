using Berth.Core.Blobs;
using Berth.Core.Digests;
using Berth.Core.Events;
using Berth.Core.Names;
using Berth.Core.Proxy;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Endpoints;

internal static class BlobEndpoints
{
    private const string OctetStream = "application/octet-stream";

    public static async Task<IResult> GetAsync(HttpContext context, RegistryServices registry, RepositoryName name, string reference, ProxiedRepository? proxied = null)
    {
        if (!Digest.TryParse(reference, out var digest))
        {
            return Digest.HasDigestShape(reference) ? Problems.DigestInvalid(reference) : Problems.BlobUnknown(reference);
        }

        var cancellationToken = context.RequestAborted;
        var blob = HttpMethods.IsHead(context.Request.Method)
            ? await StatForPushAsync(registry, name, digest, cancellationToken)
            : await registry.Blobs.StatAsync(name, digest, cancellationToken);
        if (blob is null && proxied is not null)
        {
            // Twice at most: a fetch that ended just as this request joined has stored the blob, or failed.
            for (var attempt = 0; attempt < 2 && blob is null; attempt++)
            {
                var pulled = HttpMethods.IsHead(context.Request.Method)
                    ? await registry.ProxyBlobs.StatAsync(proxied, digest, cancellationToken)
                    : await registry.ProxyBlobs.OpenAsync(proxied, digest, cancellationToken);
                if (pulled.Error is not null)
                {
                    return Problems.Of(pulled.Error);
                }

                if (pulled.Stream is not null || pulled.Length is not null)
                {
                    return UpstreamBlob(context, registry, name, digest, pulled);
                }

                blob = await registry.Blobs.StatAsync(name, digest, cancellationToken);
            }
        }
        else if (blob is not null && proxied is not null)
        {
            registry.ProxyBlobs.RecordHit(proxied, digest);
        }

        if (blob is null)
        {
            return Problems.BlobUnknown(digest.Value);
        }

        var headers = context.Response.Headers;
        headers[RegistryHeaders.ContentDigest] = digest.Value;

        // Content-addressed bytes never change, so clients and proxies may keep them.
        headers.CacheControl = "max-age=31536000";
        var etag = new EntityTagHeaderValue($"\"{digest.Value}\"");
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // distribution#3574: HEAD is answered here, never redirected, so clients learn the size from us.
            headers.ETag = etag.ToString();
            headers.AcceptRanges = "bytes";
            context.Response.ContentLength = blob.Size;
            context.Response.ContentType = OctetStream;
            return TypedResults.Empty;
        }

        if (!registry.Configuration.Storage.RedirectDisabled &&
            await registry.Blobs.GetRedirectUrlAsync(digest, cancellationToken) is { } redirect)
        {
            registry.Events.Publish(new BlobPulled(name, registry.Time.GetUtcNow(), digest, blob.Size));
            return TypedResults.Redirect(redirect.AbsoluteUri, permanent: false, preserveMethod: true);
        }

        var stream = await registry.Blobs.OpenReadAsync(digest, cancellationToken);
        if (stream is null)
        {
            return Problems.BlobUnknown(digest.Value);
        }

        registry.Events.Publish(new BlobPulled(name, registry.Time.GetUtcNow(), digest, blob.Size));
        return TypedResults.Stream(stream, OctetStream, entityTag: etag, enableRangeProcessing: true);
    }

    /// <summary>A blob arriving from the upstream (GET), or its size there (HEAD); not seekable, so no ranges.</summary>
    private static IResult UpstreamBlob(HttpContext context, RegistryServices registry, RepositoryName name, Digest digest, ProxyBlob pulled)
    {
        var response = context.Response;
        response.Headers[RegistryHeaders.ContentDigest] = digest.Value;
        response.Headers.ETag = $"\"{digest.Value}\"";
        response.ContentType = OctetStream;
        response.ContentLength = pulled.Length;
        if (pulled.Stream is null)
        {
            return TypedResults.Empty;
        }

        registry.Events.Publish(new BlobPulled(name, registry.Time.GetUtcNow(), digest, pulled.Length ?? -1));
        return TypedResults.Stream(pulled.Stream, OctetStream);
    }

    public static async Task<IResult> DeleteAsync(RegistryServices registry, RepositoryName name, string reference, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(reference, out var digest))
        {
            return Digest.HasDigestShape(reference) ? Problems.DigestInvalid(reference) : Problems.BlobUnknown(reference);
        }

        if (!registry.Configuration.Storage.DeleteEnabled)
        {
            return Problems.DeleteDisabled();
        }

        return await registry.Writer.UnlinkBlobAsync(name, digest, cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : Problems.BlobUnknown(digest.Value);
    }

    /// <summary>
    /// A push HEADs a blob to skip uploading it, so the answer is held against garbage collection: a collection running
    /// now keeps the blob, and it is touched to stay for the grace period while the push's manifest is on its way.
    /// Only a blob the repository links is held: the hold touches and restores from quarantine, and a reader of one
    /// repository must not keep alive or bring back what only another repository holds. A read-only registry takes no
    /// push, so its HEAD writes nothing.
    /// </summary>
    private static async Task<BlobDescriptor?> StatForPushAsync(RegistryServices registry, RepositoryName name, Digest digest, CancellationToken cancellationToken)
    {
        // Not linked: unknown here whatever the store holds (a missing link is never cached, so it is read once).
        if (!await registry.Blobs.IsLinkedAsync(name, digest, cancellationToken))
        {
            return null;
        }

        if (registry.Configuration.Storage.ReadOnly)
        {
            return await registry.Blobs.StatAsync(name, digest, cancellationToken);
        }

        await using var hold = await registry.Guard.ReferenceAsync([digest], cancellationToken);
        return await registry.Blobs.StatAsync(name, digest, cancellationToken);
    }
}
