using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;

namespace Berth.Core.Manifests;

/// <summary>The OCI 1.1 referrers of a subject, from the <c>_referrers</c> links written when they were pushed.</summary>
public sealed class ReferrerStore(IStorageDriver driver, ManifestStore manifests)
{
    /// <summary>Descriptors of the manifests whose subject is <paramref name="subject"/>, optionally one artifact type only.</summary>
    public async Task<IReadOnlyList<Descriptor>> ListAsync(
        RepositoryName repository, Digest subject, string? artifactType, CancellationToken cancellationToken = default)
    {
        var result = new List<Descriptor>();
        var root = RegistryPaths.Referrers(repository, subject);
        foreach (var algorithm in await driver.ListAsync(root, cancellationToken) ?? [])
        {
            foreach (var encoded in await driver.ListAsync($"{root}/{algorithm}", cancellationToken) ?? [])
            {
                if (!Digest.TryParse($"{algorithm}:{encoded}", out var digest) ||
                    await manifests.GetAsync(repository, digest, cancellationToken) is not { } stored)
                {
                    continue;
                }

                var parsed = ManifestParser.Parse(stored.Content, stored.MediaType).Manifest;
                if (parsed is null || artifactType is not null && parsed.EffectiveArtifactType != artifactType)
                {
                    continue;
                }

                result.Add(new Descriptor(parsed.MediaType, digest, stored.Content.Length, ArtifactType: parsed.EffectiveArtifactType, Annotations: parsed.Annotations));
            }
        }

        return result;
    }
}
