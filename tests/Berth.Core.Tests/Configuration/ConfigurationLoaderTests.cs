using Berth.Core.Configuration;

namespace Berth.Core.Tests.Configuration;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-config").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Registry2_sample_config_loads_unchanged()
    {
        var configuration = Load("""
            version: 0.1
            log:
              level: debug
              formatter: json
              fields:
                service: registry
            storage:
              cache:
                blobdescriptor: inmemory
              filesystem:
                rootdirectory: /srv/registry
              delete:
                enabled: true
              maintenance:
                uploadpurging:
                  enabled: true
                  age: 72h
                  interval: 12h
                  dryrun: true
                readonly:
                  enabled: true
            http:
              addr: 127.0.0.1:5001
              host: https://registry.example.com/
              relativeurls: false
              secret: asecretforlocaldevelopment
              headers:
                X-Content-Type-Options: [nosniff]
            catalog:
              maxentries: 50
            """);

        Assert.Equal("debug", configuration.Log.Level);
        Assert.Equal("json", configuration.Log.Formatter);
        Assert.Equal("filesystem", configuration.Storage.Driver);
        Assert.Equal("/srv/registry", configuration.Storage.DriverParameters.GetString("rootdirectory"));
        Assert.True(configuration.Storage.DeleteEnabled);
        Assert.True(configuration.Storage.ReadOnly);
        Assert.Equal(TimeSpan.FromHours(72), configuration.Storage.UploadPurging.Age);
        Assert.Equal(TimeSpan.FromHours(12), configuration.Storage.UploadPurging.Interval);
        Assert.True(configuration.Storage.UploadPurging.DryRun);
        Assert.Equal("127.0.0.1:5001", configuration.Http.Addr);
        Assert.Equal("https://registry.example.com", configuration.Http.Host);
        Assert.Equal(["nosniff"], configuration.Http.Headers["X-Content-Type-Options"]);
        Assert.Equal(50, configuration.Catalog.MaxEntries);
    }

    [Fact]
    public void Environment_variable_overrides_a_file_value_matching_keys_case_insensitively()
    {
        var configuration = Load(
            """
            version: 0.1
            storage:
              filesystem:
                rootDirectory: /from/file
            """,
            ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/from/env"),
            ("REGISTRY_STORAGE_DELETE_ENABLED", "true"));

        Assert.Equal("/from/env", configuration.Storage.DriverParameters.GetString("rootdirectory"));
        Assert.True(configuration.Storage.DeleteEnabled);
    }

    [Fact]
    public void Bare_storage_variable_replaces_the_storage_section_before_driver_variables_fill_it()
    {
        // Given in reverse order on purpose: registry:2 applies variables sorted, so REGISTRY_STORAGE comes first.
        var configuration = Load(
            """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: /var/lib/registry
            """,
            ("REGISTRY_STORAGE_AZURE_CONTAINER", "registry"),
            ("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", "myaccount"),
            ("REGISTRY_STORAGE", "azure"));

        Assert.Equal("azure", configuration.Storage.Driver);
        Assert.Equal("myaccount", configuration.Storage.DriverParameters.GetString("accountname"));
        Assert.Equal("registry", configuration.Storage.DriverParameters.GetString("container"));
        Assert.Equal("storage.azure.accountname (REGISTRY_STORAGE_AZURE_ACCOUNTNAME)", configuration.Storage.DriverParameters.Describe("accountname"));
    }

    [Fact]
    public void Environment_values_are_parsed_as_yaml()
    {
        var configuration = Load(
            "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /r\n",
            ("REGISTRY_HTTP_HEADERS_X-FRAME-OPTIONS", "[DENY, SAMEORIGIN]"),
            ("REGISTRY_CATALOG_MAXENTRIES", "25"));

        Assert.Equal(["DENY", "SAMEORIGIN"], configuration.Http.Headers["x-frame-options"]);
        Assert.Equal(25, configuration.Catalog.MaxEntries);
    }

    [Fact]
    public void Two_storage_drivers_at_once_is_a_start_up_error_naming_both()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(
            "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /r\n",
            ("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", "account")));

        Assert.Contains("filesystem", error.Message, StringComparison.Ordinal);
        Assert.Contains("azure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_value_names_the_yaml_path_and_the_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(
            "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /r\n  delete:\n    enabled: maybe\n"));

        Assert.Contains("storage.delete.enabled", error.Message, StringComparison.Ordinal);
        Assert.Contains("REGISTRY_STORAGE_DELETE_ENABLED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_berth_does_not_implement_are_warned_about_by_name_not_rejected()
    {
        var configuration = Load("""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: /r
            redis:
              addr: localhost:6379
            http:
              addr: :5000
              http2:
                disabled: true
            """);

        var unused = ConfigurationLoader.CollectUnusedKeys(configuration);
        Assert.Contains("redis (REGISTRY_REDIS)", unused);
        Assert.Contains("http.http2 (REGISTRY_HTTP_HTTP2)", unused);
        Assert.DoesNotContain(unused, key => key.StartsWith("http.addr", StringComparison.Ordinal));
    }

    [Fact]
    public void Configuration_path_variable_names_the_file()
    {
        var path = Path.Combine(_directory, "named.yml");
        File.WriteAllText(path, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /named\n");

        var configuration = ConfigurationLoader.Load(null, [new("REGISTRY_CONFIGURATION_PATH", path)]);

        Assert.Equal("/named", configuration.Storage.DriverParameters.GetString("rootdirectory"));
    }

    [Fact]
    public void Without_a_file_the_defaults_are_registry2s()
    {
        var configuration = ConfigurationLoader.Load(null, []);

        Assert.Equal("filesystem", configuration.Storage.Driver);
        Assert.Equal("/var/lib/registry", configuration.Storage.DriverParameters.GetString("rootdirectory"));
        Assert.Equal(":5000", configuration.Http.Addr);
    }

    [Theory]
    [InlineData("version: 0.2\nstorage: inmemory\n", "version")]
    [InlineData("storage: inmemory\n", "version")]
    [InlineData("version: 0.1\nhttp:\n  addr: nowhere\nstorage: inmemory\n", "http.addr")]
    [InlineData("version: 0.1\nstorage:\n  delete:\n    enabled: true\n", "storage")]
    [InlineData("version: 0.1\nstorage: inmemory\nstorage: twice\n", "YAML")]
    public void Invalid_configuration_fails_with_the_key_named(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("168h", 168 * 60)]
    [InlineData("1h30m", 90)]
    [InlineData("90s", 1.5)]
    [InlineData("500ms", 0.5 / 60)]
    public void Go_durations_parse(string text, double minutes)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(minutes, value.TotalMinutes, precision: 6);
    }

    private RegistryConfiguration Load(string yaml, params (string Name, string Value)[] environment)
    {
        var path = Path.Combine(_directory, $"config-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        return ConfigurationLoader.Load(path, environment.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
    }
}
