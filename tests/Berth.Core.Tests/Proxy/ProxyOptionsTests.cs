using Berth.Core.Configuration;
using Berth.Core.Proxy;

namespace Berth.Core.Tests.Proxy;

/// <summary>The proxy section: registry:2's keys as they are, Berth's upstream list, and errors that name the key.</summary>
public sealed class ProxyOptionsTests
{
    [Fact]
    public void Registry2_mirror_keys_bind_with_their_defaults_and_leave_nothing_unused()
    {
        var configuration = Load("""
            proxy:
              remoteurl: https://registry-1.docker.io
              username: alice
              password: s3cret
            """);

        var options = ProxyOptions.Bind(configuration.Proxy);

        var mirror = Assert.Single(options.Upstreams);
        Assert.True(options.IsMirror);
        Assert.True(mirror.IsDockerHub);
        Assert.Equal(TimeSpan.FromHours(168), mirror.Ttl);
        Assert.Equal("alice", mirror.Username);
        Assert.DoesNotContain(ConfigurationLoader.CollectUnusedKeys(configuration), k => k.StartsWith("proxy", StringComparison.Ordinal));
    }

    [Fact]
    public void Upstreams_bind_by_prefix_with_their_own_ttl()
    {
        var options = ProxyOptions.Bind(Load("""
            proxy:
              upstreams:
                - prefix: hub
                  remoteurl: https://registry-1.docker.io
                - prefix: ghcr
                  remoteurl: https://ghcr.io
                  ttl: 24h
                  tagfreshness: 5m
            """).Proxy);

        Assert.False(options.IsMirror);
        Assert.Equal(["hub", "ghcr"], options.Upstreams.Select(u => u.Prefix));
        Assert.Equal(TimeSpan.FromHours(24), options.Upstreams[1].Ttl);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Upstreams[1].TagFreshness);
    }

    [Theory]
    [InlineData("proxy:\n  remoteurl: ftp://example.com", "proxy.remoteurl (REGISTRY_PROXY_REMOTEURL)")]
    [InlineData("proxy:\n  remoteurl: https://user:pw@example.com", "proxy.remoteurl")]
    [InlineData("proxy:\n  remoteurl: https://a.example\n  upstreams:\n    - prefix: x\n      remoteurl: https://b.example", "proxy.upstreams")]
    [InlineData("proxy:\n  upstreams:\n    - prefix: a/b\n      remoteurl: https://b.example", "proxy.upstreams[0].prefix")]
    [InlineData("proxy:\n  upstreams:\n    - prefix: x\n      remoteurl: https://b.example\n    - prefix: x\n      remoteurl: https://c.example", "proxy.upstreams[1].prefix")]
    [InlineData("proxy:\n  upstreams:\n    - prefix: x", "proxy.upstreams[0].remoteurl")]
    [InlineData("proxy:\n  remoteurl: https://a.example\n  ttl: soon", "proxy.ttl")]
    public void A_bad_proxy_section_fails_naming_the_key(string yaml, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => ProxyOptions.Bind(Load(yaml).Proxy));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static RegistryConfiguration Load(string proxy) =>
        ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /r\n" + proxy, "test"), "test");
}
