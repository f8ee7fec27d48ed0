using Berth.Core.Digests;

namespace Berth.Core.Manifests;

/// <summary>An OCI content descriptor as it appears inside a manifest.</summary>
public sealed record Descriptor(
    string MediaType,
    Digest Digest,
    long Size,
    IReadOnlyList<string>? Urls = null,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    Platform? Platform = null);

public sealed record Platform(string Architecture, string Os, string? Variant);
