using Berth.Core.Configuration;

namespace Berth.Core.Tests.Configuration;

/// <summary>http.limits: Berth's own keys for Kestrel's connection limits, with REGISTRY_HTTP_LIMITS_* variables.</summary>
public sealed class HttpLimitsConfigurationTests
{
    [Fact]
    public void Without_a_limits_section_the_defaults_bound_connections_and_keep_kestrel_timeouts()
    {
        var limits = Bind("http:\n  addr: :5000\n").Http.Limits;

        Assert.Equal(10_000, limits.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.RequestHeaderTimeout);
        Assert.Equal(TimeSpan.FromSeconds(130), limits.KeepAliveTimeout);
        Assert.Equal(240, limits.MinRequestBodyDataRate);
        Assert.Equal(limits.MaxConnections, Bind(string.Empty).Http.Limits.MaxConnections);
    }

    [Fact]
    public void Yaml_values_are_bound()
    {
        var limits = Bind("""
            http:
              limits:
                maxconnections: 500
                requestheadertimeout: 10s
                keepalivetimeout: 2m
                minrequestbodydatarate: 0
            """).Http.Limits;

        Assert.Equal(500, limits.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeaderTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), limits.KeepAliveTimeout);
        Assert.Equal(0, limits.MinRequestBodyDataRate);
    }

    [Fact]
    public void Variables_override_the_file()
    {
        var limits = Bind(
            "http:\n  limits:\n    maxconnections: 500\n",
            ("REGISTRY_HTTP_LIMITS_MAXCONNECTIONS", "64"),
            ("REGISTRY_HTTP_LIMITS_KEEPALIVETIMEOUT", "95s")).Http.Limits;

        Assert.Equal(64, limits.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(95), limits.KeepAliveTimeout);
    }

    [Theory]
    [InlineData("maxconnections", "0", "REGISTRY_HTTP_LIMITS_MAXCONNECTIONS")]
    [InlineData("maxconnections", "many", "REGISTRY_HTTP_LIMITS_MAXCONNECTIONS")]
    [InlineData("requestheadertimeout", "500ms", "REGISTRY_HTTP_LIMITS_REQUESTHEADERTIMEOUT")]
    [InlineData("requestheadertimeout", "soon", "REGISTRY_HTTP_LIMITS_REQUESTHEADERTIMEOUT")]
    [InlineData("keepalivetimeout", "48h", "REGISTRY_HTTP_LIMITS_KEEPALIVETIMEOUT")]
    [InlineData("minrequestbodydatarate", "-1", "REGISTRY_HTTP_LIMITS_MINREQUESTBODYDATARATE")]
    public void A_bad_value_fails_with_the_yaml_key_and_its_variable(string key, string value, string variable)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind($"http:\n  limits:\n    {key}: '{value}'\n"));

        Assert.Contains($"http.limits.{key} ({variable})", error.Message);
        Assert.Contains(value, error.Message);
    }

    private static RegistryConfiguration Bind(string http, params (string Name, string Value)[] environment)
    {
        var tree = ConfigTreeReader.ReadDocument(
            "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /tmp/unused\n" + http, "test");
        EnvironmentOverrides.Apply(tree, environment.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        return ConfigurationLoader.Bind(tree, "test");
    }
}
