using Berth.Core.Digests;

namespace Berth.Core.Manifests;

/// <summary>A manifest exactly as it was pushed, with its digest and the media type it is served as.</summary>
public sealed record StoredManifest(Digest Digest, byte[] Content, string MediaType);
