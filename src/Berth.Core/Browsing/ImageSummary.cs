using Berth.Core.Digests;

namespace Berth.Core.Browsing;

/// <summary>
/// What a page of tags shows of one manifest: derived from immutable content (the manifest and its config), so it
/// is kept by digest for as long as the process lives. <paramref name="Size"/> is the config plus every layer; for an
/// index, the sum over its children.
/// </summary>
public sealed record ImageSummary(Digest Digest, string MediaType, long Size, IReadOnlyList<string> Platforms, DateTimeOffset? Created, string? ArtifactType);
