using Berth.Core.Configuration;
using Berth.Core.Names;

namespace Berth.Core.Proxy;

/// <summary>
/// The <c>proxy</c> section: registry:2's single mirror (<c>proxy.remoteurl</c>, the whole registry pulls through and
/// refuses pushes) or Berth's <c>proxy.upstreams</c>, each under a path prefix beside hosted repositories.
/// </summary>
public sealed class ProxyOptions
{
    public static readonly ProxyOptions None = new() { Upstreams = [] };

    public required IReadOnlyList<UpstreamOptions> Upstreams { get; init; }

    /// <summary>registry:2's mode: every repository is proxied and pushes answer 405 UNSUPPORTED.</summary>
    public bool IsMirror => Upstreams is [{ Prefix: null }];

    public static ProxyOptions Bind(ConfigSection? proxy)
    {
        if (proxy is null)
        {
            return None;
        }

        var list = proxy.GetSectionList("upstreams");
        var mirror = proxy.GetString("remoteurl");
        if (!string.IsNullOrEmpty(mirror) && list.Count > 0)
        {
            throw proxy.Error("upstreams", "cannot be combined with proxy.remoteurl: either the whole registry mirrors one upstream, or upstreams sit under prefixes");
        }

        if (!string.IsNullOrEmpty(mirror))
        {
            return new ProxyOptions { Upstreams = [BindUpstream(proxy, prefix: null)] };
        }

        var upstreams = new List<UpstreamOptions>();
        foreach (var item in list)
        {
            var prefix = item.GetRequiredString("prefix");
            if (prefix.Contains('/', StringComparison.Ordinal) || !RepositoryName.TryParse(prefix, out _))
            {
                throw item.Error("prefix", $"'{prefix}' must be one path component of a repository name, such as hub");
            }

            if (upstreams.Any(u => u.Prefix == prefix))
            {
                throw item.Error("prefix", $"'{prefix}' is used by two upstreams");
            }

            upstreams.Add(BindUpstream(item, prefix));
        }

        return new ProxyOptions { Upstreams = upstreams };
    }

    private static UpstreamOptions BindUpstream(ConfigSection section, string? prefix)
    {
        var text = section.GetRequiredString("remoteurl");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") ||
            url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            throw section.Error("remoteurl", $"'{text}' must be an http or https URL without credentials or query, such as https://registry-1.docker.io");
        }

        var options = new UpstreamOptions
        {
            Prefix = prefix,
            RemoteUrl = new Uri(url.GetLeftPart(UriPartial.Authority) + "/"),
            Username = section.GetString("username"),
            Password = section.GetString("password"),
            Ttl = section.GetDuration("ttl", TimeSpan.FromHours(168)),
            TagFreshness = section.GetDuration("tagfreshness", TimeSpan.FromMinutes(1)),
            Timeout = section.GetDuration("timeout", TimeSpan.FromSeconds(30)),
            BreakerInterval = section.GetDuration("breakerinterval", TimeSpan.FromSeconds(30)),
            TokenHosts = (section.GetString("tokenhosts") ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };

        if (options.Ttl <= TimeSpan.Zero)
        {
            throw section.Error("ttl", "must be positive");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            throw section.Error("timeout", "must be positive");
        }

        if (url.AbsolutePath.Trim('/').Length > 0)
        {
            throw section.Error("remoteurl", "must name the registry's root (the /v2/ API is added by Berth)");
        }

        return options;
    }
}
