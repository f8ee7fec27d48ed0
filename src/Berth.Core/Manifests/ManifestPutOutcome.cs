using Berth.Core.Digests;
using Berth.Core.Errors;

namespace Berth.Core.Manifests;

public sealed record ManifestPutOutcome(Digest? Digest, ParsedManifest? Manifest, RegistryError? Error)
{
    public static ManifestPutOutcome Stored(Digest digest, ParsedManifest manifest) => new(digest, manifest, null);

    public static ManifestPutOutcome Failed(RegistryError error) => new(null, null, error);
}
