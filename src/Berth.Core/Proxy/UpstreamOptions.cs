namespace Berth.Core.Proxy;

/// <summary>One upstream registry: <c>proxy.remoteurl</c> (registry:2's mirror) or an item of <c>proxy.upstreams</c>.</summary>
public sealed class UpstreamOptions
{
    /// <summary>The first path segment that selects this upstream; null for registry:2's whole-registry mirror.</summary>
    public string? Prefix { get; init; }

    public required Uri RemoteUrl { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>How long pulled content stays cached after its last pull (registry:2's <c>proxy.ttl</c>, 168h).</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromHours(168);

    /// <summary>How long a tag checked against the upstream is served without asking again.</summary>
    public TimeSpan TagFreshness { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Connect, response-header and idle-read timeout for one upstream request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After a failure the upstream is not asked again for this long (one timeout per interval).</summary>
    public TimeSpan BreakerInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Token hosts other than the upstream's own that may receive its credentials (Docker Hub's auth.docker.io is
    /// implied for Docker Hub). A realm on any other host gets an anonymous token request, never the credentials.
    /// </summary>
    public IReadOnlyList<string> TokenHosts { get; init; } = [];

    /// <summary>The name used in logs and metrics: the prefix, or the upstream's host for the mirror.</summary>
    public string Name => Prefix ?? RemoteUrl.Authority;

    public bool HasCredentials => !string.IsNullOrEmpty(Username);

    /// <summary>Docker Hub stores official images under <c>library/</c> and clients leave it out.</summary>
    public bool IsDockerHub => RemoteUrl.Host is "registry-1.docker.io" or "index.docker.io" or "docker.io";
}
