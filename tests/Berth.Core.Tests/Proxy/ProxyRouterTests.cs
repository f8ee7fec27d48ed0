using Berth.Core.Configuration;
using Berth.Core.Names;
using Berth.Core.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Core.Tests.Proxy;

/// <summary>Which repositories pull through which upstream, under which names; ?ns= never reaches an unconfigured host.</summary>
public sealed class ProxyRouterTests
{
    private const string Upstreams = """
        proxy:
          upstreams:
            - prefix: hub
              remoteurl: https://registry-1.docker.io
            - prefix: ghcr
              remoteurl: https://ghcr.io
        """;

    [Theory]
    [InlineData("hub/library/nginx", null, "hub", "hub/library/nginx", "library/nginx")]
    [InlineData("hub/nginx", null, "hub", "hub/nginx", "library/nginx")]
    [InlineData("ghcr/owner/tool", null, "ghcr", "ghcr/owner/tool", "owner/tool")]
    [InlineData("ghcr/tool", null, "ghcr", "ghcr/tool", "tool")]
    [InlineData("library/nginx", "docker.io", "hub", "hub/library/nginx", "library/nginx")]
    [InlineData("owner/tool", "ghcr.io", "ghcr", "ghcr/owner/tool", "owner/tool")]
    public void Prefixed_and_ns_selected_names_pull_through_their_upstream(string name, string? ns, string upstream, string local, string remote)
    {
        var proxied = Router(Upstreams).Resolve(Name(name), ns);

        Assert.NotNull(proxied);
        Assert.Equal(upstream, proxied.Upstream.Name);
        Assert.Equal(local, proxied.LocalName.Value);
        Assert.Equal(remote, proxied.RemoteName);
        Assert.Equal(ns, proxied.Namespace);
    }

    [Theory]
    [InlineData("team/app", null)]
    [InlineData("hub", null)]
    [InlineData("hubx/app", null)]
    [InlineData("team/app", "evil.example")]
    [InlineData("team/app", "127.0.0.1:22")]
    public void Other_names_and_unconfigured_namespaces_are_hosted(string name, string? ns) =>
        Assert.Null(Router(Upstreams).Resolve(Name(name), ns));

    [Fact]
    public void Registry2_mirror_proxies_every_name_and_adds_dockers_library()
    {
        var router = Router("proxy:\n  remoteurl: https://registry-1.docker.io\n");

        Assert.True(router.IsMirror);
        Assert.Equal("library/nginx", router.Resolve(Name("nginx"), null)!.RemoteName);
        Assert.Equal("team/app", router.Resolve(Name("team/app"), "ghcr.io")!.RemoteName);
        Assert.Equal("team/app", router.Resolve(Name("team/app"), null)!.LocalName.Value);
    }

    private static ProxyRouter Router(string yaml)
    {
        var configuration = ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /r\n" + yaml, "test"), "test");
        return new ProxyRouter(new UpstreamRegistry(ProxyOptions.Bind(configuration.Proxy), TimeProvider.System, new ProxyMetrics(), NullLogger<Upstream>.Instance));
    }

    private static RepositoryName Name(string value) => RepositoryName.TryParse(value, out var name) ? name : throw new ArgumentException(value);
}
