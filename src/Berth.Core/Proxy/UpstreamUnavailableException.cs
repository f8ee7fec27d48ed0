namespace Berth.Core.Proxy;

/// <summary>
/// The upstream could not answer (refused, timed out, 5xx, 429, refused our credentials, or its breaker is open).
/// Cached content is then served stale; uncached content is <c>UNAVAILABLE</c>.
/// </summary>
public sealed class UpstreamUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
