using Berth.Core.Configuration;

namespace Berth.Core.Tests.Configuration;

/// <summary>http.debug, http.prefix, http.draintimeout and the health section bind as registry:2 reads them.</summary>
public sealed class OperationsConfigurationTests
{
    private const string Base = "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /r\n";

    [Theory]
    [InlineData("/registry/", "/registry")]
    [InlineData("/registry", "/registry")]
    [InlineData("/a/b/", "/a/b")]
    [InlineData("/", "")]
    public void Prefix_is_kept_with_its_leading_slash_only(string prefix, string expected)
    {
        Assert.Equal(expected, Bind($"http:\n  prefix: {prefix}\n").Http.Prefix);
    }

    [Theory]
    [InlineData("registry/")]
    [InlineData("/a//b/")]
    [InlineData("/a/../b/")]
    [InlineData("/a?b/")]
    public void A_prefix_that_is_not_a_clean_path_fails_naming_key_and_variable(string prefix)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind($"http:\n  prefix: '{prefix}'\n"));

        Assert.Contains("http.prefix (REGISTRY_HTTP_PREFIX)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drain_timeout_defaults_to_30_seconds_and_reads_go_durations()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Bind(string.Empty).Http.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), Bind("http:\n  draintimeout: 1m30s\n").Http.DrainTimeout);
    }

    [Fact]
    public void Prometheus_without_a_debug_address_fails_at_start_up()
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind("http:\n  debug:\n    prometheus:\n      enabled: true\n"));

        Assert.Contains("http.debug.prometheus.enabled (REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED)", error.Message, StringComparison.Ordinal);
        Assert.Contains("http.debug.addr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Debug_listener_binds_address_and_metrics_path()
    {
        var debug = Bind("http:\n  debug:\n    addr: localhost:5001\n    prometheus:\n      enabled: true\n      path: /prom/\n").Http.Debug;

        Assert.Equal(5001, debug.Addr!.Port);
        Assert.True(debug.PrometheusEnabled);
        Assert.Equal("/prom", debug.PrometheusPath);
    }

    [Fact]
    public void Health_section_binds_every_check_with_registry2_defaults()
    {
        var health = Bind("""
            health:
              storagedriver:
                enabled: true
                threshold: 3
              file:
                - file: /tmp/drain
              http:
                - uri: http://auth.internal/healthz
                  headers:
                    Authorization: [Bearer x]
                  timeout: 3s
              tcp:
                - addr: redis:6379
                  interval: 5s
                  threshold: 2
            """).Health;

        Assert.Equal(new StorageHealthCheckOptions(TimeSpan.FromSeconds(10), 3), health.StorageDriver);
        Assert.Equal(new FileHealthCheckOptions("/tmp/drain", TimeSpan.FromSeconds(10)), health.Files.Single());
        var http = health.Http.Single();
        Assert.Equal(200, http.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), http.Timeout);
        Assert.Equal(["Bearer x"], http.Headers["Authorization"]);
        Assert.Equal(new TcpHealthCheckOptions("redis:6379", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 2), health.Tcp.Single());
    }

    [Fact]
    public void A_disabled_storage_check_is_no_check()
    {
        Assert.Null(Bind("health:\n  storagedriver:\n    enabled: false\n").Health.StorageDriver);
        Assert.False(Bind(string.Empty).Health.Any);
    }

    [Fact]
    public void A_health_check_without_its_target_fails_naming_the_list_item()
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind("health:\n  tcp:\n    - timeout: 1s\n"));

        Assert.Contains("health.tcp[0].addr", error.Message, StringComparison.Ordinal);
    }

    private static RegistryConfiguration Bind(string yaml) =>
        ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument(Base + yaml, "test"), "test");
}
