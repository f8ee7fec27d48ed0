using System.Buffers;
using Berth.Core.Digests;
using Berth.Core.Errors;
using Berth.Core.Events;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Core.Proxy;
using Berth.Core.Retention;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Endpoints;

internal static class ManifestEndpoints
{
    public static async Task<IResult> GetAsync(HttpContext context, RegistryServices registry, RepositoryName name, string reference, ProxiedRepository? proxied = null)
    {
        // A reference that is neither a tag nor a digest names no manifest: registry:2 and the OCI conformance
        // suite expect 404 MANIFEST_UNKNOWN for reads, not a 400.
        if (!IsReference(reference))
        {
            return Problems.ManifestUnknown(reference);
        }

        var cancellationToken = context.RequestAborted;
        StoredManifest? manifest;
        if (proxied is not null)
        {
            var pulled = await registry.ProxyManifests.GetAsync(proxied, reference, cancellationToken);
            if (pulled.Error is not null)
            {
                return Problems.Of(pulled.Error);
            }

            manifest = pulled.Manifest;
        }
        else
        {
            var digest = await registry.Manifests.ResolveAsync(name, reference, cancellationToken);
            manifest = digest is null ? null : await registry.Manifests.GetAsync(name, digest, cancellationToken);
        }

        if (manifest is null)
        {
            return Problems.ManifestUnknown(reference);
        }

        var isTag = !Digest.TryParse(reference, out _);
        var negotiation = await AcceptNegotiation.NegotiateAsync(context.Request.Headers.Accept, name, manifest, isTag, registry, cancellationToken);
        if (negotiation.Error is not null)
        {
            return negotiation.Error;
        }

        manifest = negotiation.Manifest!;
        var etag = $"\"{manifest.Digest.Value}\"";
        var headers = context.Response.Headers;
        headers[RegistryHeaders.ContentDigest] = manifest.Digest.Value;
        headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && (v.Contains(etag, StringComparison.Ordinal) || v.Contains(manifest.Digest.Value, StringComparison.Ordinal))))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        context.Response.ContentType = manifest.MediaType;
        context.Response.ContentLength = manifest.Content.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return TypedResults.Empty;
        }

        registry.Events.Publish(new ManifestPulled(name, registry.Time.GetUtcNow(), manifest.Digest, manifest.MediaType, manifest.Content.Length, isTag ? reference : null));
        return TypedResults.Bytes(manifest.Content, manifest.MediaType);
    }

    public static async Task<IResult> PutAsync(HttpContext context, RegistryServices registry, RepositoryName name, string reference)
    {
        if (ReferenceError(reference) is { } invalid)
        {
            return invalid;
        }

        var request = context.Request;
        if (request.ContentLength > ManifestStore.MaxManifestBytes)
        {
            return TooLarge();
        }

        var content = await ReadLimitedAsync(request.Body, ManifestStore.MaxManifestBytes, context.RequestAborted);
        if (content is null)
        {
            return TooLarge();
        }

        var isDigest = Digest.TryParse(reference, out var expected);
        var outcome = await registry.Manifests.PutAsync(name, isDigest ? null : reference, expected, content, request.ContentType, context.RequestAborted);
        if (outcome.Error is not null)
        {
            return Problems.Of(outcome.Error);
        }

        var headers = context.Response.Headers;
        headers.Location = RegistryUrls.Absolute(context, registry.Configuration.Http, RegistryUrls.Manifest(name.Value, outcome.Digest!.Value));
        headers[RegistryHeaders.ContentDigest] = outcome.Digest.Value;
        if (outcome.Manifest!.Subject is { } subject)
        {
            // distribution-spec: "the registry MUST set the OCI-Subject header" when it processed the subject field.
            headers[RegistryHeaders.OciSubject] = subject.Digest.Value;
        }

        context.Response.ContentLength = 0;
        return TypedResults.StatusCode(StatusCodes.Status201Created);
    }

    public static async Task<IResult> DeleteAsync(RegistryServices registry, RepositoryName name, string reference, CancellationToken cancellationToken)
    {
        if (!registry.Configuration.Storage.DeleteEnabled)
        {
            return Problems.DeleteDisabled();
        }

        // As registry:2: a malformed digest is refused, a reference that cannot name a manifest is simply unknown.
        if (!IsReference(reference))
        {
            return Digest.HasDigestShape(reference) ? Problems.DigestInvalid(reference) : Problems.ManifestUnknown(reference);
        }

        try
        {
            var deleted = Digest.TryParse(reference, out var digest)
                ? await registry.Manifests.DeleteAsync(name, digest, cancellationToken)
                : await registry.Writer.DeleteTagAsync(name, reference, cancellationToken);
            return deleted ? TypedResults.Accepted((string?)null) : Problems.ManifestUnknown(reference);
        }
        catch (ProtectedTagException e)
        {
            return Problems.Of(e.Error);
        }
    }

    private static bool IsReference(string reference) => Digest.TryParse(reference, out _) || TagName.IsValid(reference);

    /// <summary>For a PUT, where the spec wants an invalid tag refused with 400.</summary>
    private static IResult? ReferenceError(string reference)
    {
        if (reference.Contains(':', StringComparison.Ordinal))
        {
            return Digest.TryParse(reference, out _) ? null : Problems.DigestInvalid(reference);
        }

        return TagName.IsValid(reference) ? null : Problems.TagInvalid(reference);
    }

    private static IResult TooLarge() =>
        Problems.Of(ErrorCode.SizeInvalid, $"manifest is larger than the {ManifestStore.MaxManifestBytes / 1024 / 1024} MiB limit", StatusCodes.Status413PayloadTooLarge);

    /// <summary>Manifests are small and must be parsed whole; anything over the limit is refused, not buffered.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var memory = writer.GetMemory(16 * 1024);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return writer.WrittenSpan.ToArray();
            }

            writer.Advance(read);
            if (writer.WrittenCount > limit)
            {
                return null;
            }
        }
    }
}
