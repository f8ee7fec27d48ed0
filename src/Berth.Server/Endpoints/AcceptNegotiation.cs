using Berth.Core.Errors;
using Berth.Core.Manifests;
using Berth.Core.Names;
using Berth.Server.Errors;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Berth.Server.Endpoints;

/// <summary>
/// registry:2's Accept handling for manifest GET/HEAD (registry/handlers/manifests.go): an OCI manifest or index is
/// served only to a client that accepts it; a manifest list fetched by tag by a client that does not accept lists is
/// answered with its linux/amd64 image. Berth applies these rules only when the client sent Accept values; a bare
/// request (curl, a browser) gets the manifest as stored.
/// </summary>
internal static class AcceptNegotiation
{
    public static async Task<(StoredManifest? Manifest, IResult? Error)> NegotiateAsync(
        StringValues accept, RepositoryName repository, StoredManifest manifest, bool byTag, RegistryServices registry, CancellationToken cancellationToken)
    {
        var accepted = Parse(accept);
        if (accepted.Count == 0 || accepted.Contains("*/*"))
        {
            return (manifest, null);
        }

        if (manifest.MediaType == MediaTypes.DockerManifestList && byTag && !accepted.Contains(MediaTypes.DockerManifestList))
        {
            return await DefaultPlatformAsync(repository, manifest, accepted, registry, cancellationToken);
        }

        if (manifest.MediaType == MediaTypes.OciManifest && !accepted.Contains(MediaTypes.OciManifest))
        {
            return (null, Problems.Of(ErrorCode.ManifestUnknown, "OCI manifest found, but accept header does not support OCI manifests"));
        }

        if (manifest.MediaType == MediaTypes.OciIndex && !accepted.Contains(MediaTypes.OciIndex))
        {
            return (null, Problems.Of(ErrorCode.ManifestUnknown, "OCI index found, but accept header does not support OCI indexes"));
        }

        return (manifest, null);
    }

    private static async Task<(StoredManifest?, IResult?)> DefaultPlatformAsync(
        RepositoryName repository, StoredManifest list, HashSet<string> accepted, RegistryServices registry, CancellationToken cancellationToken)
    {
        var parsed = ManifestParser.Parse(list.Content, list.MediaType).Manifest;
        var target = parsed?.Manifests.FirstOrDefault(m => m.Platform is { Architecture: "amd64", Os: "linux" });
        // The child is read through this repository's revision links, as registry:2 reads it through the
        // repository's manifest service: a list must not be a way to read content of other repositories.
        var child = target is null ? null : await registry.Manifests.GetAsync(repository, target.Digest, cancellationToken);
        if (child is null || child.MediaType == MediaTypes.OciManifest && !accepted.Contains(MediaTypes.OciManifest))
        {
            return (null, Problems.Of(ErrorCode.ManifestUnknown, "manifest list has no linux/amd64 image this client accepts"));
        }

        return (child, null);
    }

    private static HashSet<string> Parse(StringValues accept)
    {
        var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in accept)
        {
            foreach (var part in (header ?? string.Empty).Split(','))
            {
                var semicolon = part.IndexOf(';', StringComparison.Ordinal);
                var mediaType = (semicolon >= 0 ? part[..semicolon] : part).Trim();
                if (mediaType.Length > 0)
                {
                    result.Add(mediaType);
                }
            }
        }

        return result;
    }
}
