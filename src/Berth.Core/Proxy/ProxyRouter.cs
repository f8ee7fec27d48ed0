using Berth.Core.Names;

namespace Berth.Core.Proxy;

/// <summary>Decides whether a repository is hosted or pulls through an upstream, and under which names.</summary>
public sealed class ProxyRouter(UpstreamRegistry upstreams)
{
    public bool IsMirror => upstreams.Options.IsMirror;

    public bool IsEnabled => upstreams.All.Count > 0;

    /// <summary>
    /// The upstream for a repository: by prefix, by registry:2's mirror mode, or by the OCI <c>ns</c> query
    /// (containerd's mirror mode). <paramref name="ns"/> only ever selects among configured upstreams, by their
    /// host, so a client can never make Berth contact a host it chose. Null for a hosted repository.
    /// </summary>
    public ProxiedRepository? Resolve(RepositoryName name, string? ns)
    {
        if (upstreams.All.Count == 0)
        {
            return null;
        }

        if (IsMirror)
        {
            var mirror = upstreams.All[0];
            return new ProxiedRepository(mirror, name, RemoteName(mirror, name.Value), null);
        }

        var slash = name.Value.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && upstreams.ByPrefix(name.Value[..slash]) is { } prefixed)
        {
            return new ProxiedRepository(prefixed, name, RemoteName(prefixed, name.Value[(slash + 1)..]), null);
        }

        if (!string.IsNullOrEmpty(ns) && upstreams.ByNamespace(ns) is { } selected &&
            RepositoryName.TryParse(selected.Options.Prefix + "/" + name.Value, out var local))
        {
            // Cached under the upstream's prefix, so a hosted repository of the same name is never mixed in.
            return new ProxiedRepository(selected, local, RemoteName(selected, name.Value), ns);
        }

        return null;
    }

    private static string RemoteName(Upstream upstream, string name) =>
        upstream.Options.IsDockerHub && !name.Contains('/', StringComparison.Ordinal) ? "library/" + name : name;
}
