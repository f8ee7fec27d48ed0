namespace Berth.Server.Routing;

/// <summary>
/// The /v2/ route of the current request, parsed once by <see cref="RegistryRouteMiddleware"/> so authorization and
/// the dispatcher judge the same thing. <see cref="Route"/> is null when the path names no registry resource, and
/// for /v2/ spelled in another case, which registry:2 does not serve.
/// </summary>
public interface IRegistryRouteFeature
{
    RegistryRoute? Route { get; }
}
