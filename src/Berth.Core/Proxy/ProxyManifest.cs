using Berth.Core.Errors;
using Berth.Core.Manifests;

namespace Berth.Core.Proxy;

/// <summary>A manifest pulled through the cache, or the error to answer with.</summary>
public sealed record ProxyManifest(StoredManifest? Manifest, RegistryError? Error)
{
    public static ProxyManifest Of(StoredManifest manifest) => new(manifest, null);

    public static ProxyManifest Failed(ErrorCode code, string message) => new(null, new RegistryError(code, message));
}
