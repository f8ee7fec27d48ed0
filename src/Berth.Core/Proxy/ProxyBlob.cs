using Berth.Core.Errors;

namespace Berth.Core.Proxy;

/// <summary>
/// A blob pulled through the cache: a stream of it arriving from the upstream (length when announced), an error, or
/// neither when it is in the store by now and is served from there.
/// </summary>
public sealed record ProxyBlob(Stream? Stream, long? Length, RegistryError? Error)
{
    public static readonly ProxyBlob InStore = new(null, null, null);

    public static ProxyBlob Failed(ErrorCode code, string message) => new(null, null, new RegistryError(code, message));
}
