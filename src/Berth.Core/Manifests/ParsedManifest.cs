using Berth.Core.Digests;

namespace Berth.Core.Manifests;

/// <summary>What Berth needs to know of a manifest; the stored bytes stay exactly as received.</summary>
public sealed record ParsedManifest(
    string MediaType,
    Descriptor? Config,
    IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<Descriptor> Manifests,
    Descriptor? Subject,
    string? ArtifactType,
    IReadOnlyDictionary<string, string>? Annotations)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>distribution-spec: artifactType, else the config's media type for an image manifest.</summary>
    public string? EffectiveArtifactType => ArtifactType ?? (IsIndex ? null : Config?.MediaType);

    public IEnumerable<Digest> BlobReferences =>
        (Config is null ? [] : new[] { Config }).Concat(Layers.Where(l => l.Urls is not { Count: > 0 })).Select(d => d.Digest);
}
