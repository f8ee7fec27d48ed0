namespace Berth.Core.Events;

/// <summary>
/// Who caused an event and through which request: registry:2's <c>request</c> and <c>actor</c> records on every
/// notification. Null fields are unknown (a command-line garbage collection has no request).
/// </summary>
/// <param name="RequestId">The request's id (the X-Request-Id a client or proxy sent, else one the server made).</param>
/// <param name="Addr">The client's address and port, after trusted forwarded headers.</param>
/// <param name="Host">The Host header the client used.</param>
/// <param name="Scheme">http or https, for the content URLs built from <paramref name="Host"/>.</param>
/// <param name="Actor">The authenticated user name; null for anonymous requests.</param>
public sealed record EventOrigin(string? RequestId, string? Addr, string? Host, string? Scheme, string? Method, string? UserAgent, string? Actor);
