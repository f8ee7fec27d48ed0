using Berth.Core.Retention;

namespace Berth.Core.Configuration;

/// <summary>
/// Loads registry:2's config.yml (version 0.1), applies REGISTRY_* variables and binds the result. Keys registry:2
/// knows but Berth does not act on yet become warnings that name them; contradictions fail with the key's YAML path
/// and variable.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>Used when no config file is named: registry:2's image defaults.</summary>
    public const string DefaultConfigYaml = """
        version: 0.1
        log:
          level: info
        storage:
          filesystem:
            rootdirectory: /var/lib/registry
        http:
          addr: :5000
        """;

    // Keys in the storage section that are settings rather than a driver (registry:2's Storage.Type() skips them).
    private static readonly HashSet<string> StorageSettingKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "delete", "maintenance", "cache", "redirect", "tag", "gc",
    };

    public static RegistryConfiguration Load(string? configPath, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var environmentList = environment.ToList();
        configPath ??= environmentList.FirstOrDefault(v => v.Key == EnvironmentOverrides.ConfigurationPathVariable).Value;

        ConfigNode tree;
        string source;
        if (string.IsNullOrEmpty(configPath))
        {
            tree = ConfigTreeReader.ReadDocument(DefaultConfigYaml, "built-in defaults");
            source = "built-in defaults";
        }
        else
        {
            if (!File.Exists(configPath))
            {
                throw new ConfigurationException($"configuration file '{configPath}' does not exist");
            }

            tree = ConfigTreeReader.ReadDocument(File.ReadAllText(configPath), configPath);
            source = configPath;
        }

        var applied = EnvironmentOverrides.Apply(tree, environmentList);
        if (applied.Count > 0)
        {
            source += $" + {applied.Count} REGISTRY_* variable(s)";
        }

        return Bind(tree, source);
    }

    public static RegistryConfiguration Bind(ConfigNode tree, string source)
    {
        var root = new ConfigSection(tree, string.Empty);
        var version = root.GetString("version");
        if (string.IsNullOrEmpty(version))
        {
            throw root.Error("version", "is required; registry:2 configuration files start with 'version: 0.1'");
        }

        if (version != "0.1")
        {
            throw root.Error("version", $"'{version}' is not supported; use 0.1");
        }

        var configuration = new RegistryConfiguration
        {
            Log = BindLog(root.GetSection("log")),
            Storage = BindStorage(root),
            Http = BindHttp(root.GetSection("http")),
            Catalog = new CatalogOptions
            {
                MaxEntries = root.GetSection("catalog")?.GetInt("maxentries", 1000, min: 1) ?? 1000,
            },
            Health = HealthOptions.Bind(root.GetSection("health")),
            Retention = RetentionOptions.Bind(root.GetSection("retention")),
            Ui = new UiOptions { Enabled = root.GetSection("ui")?.GetBool("enabled", true) ?? true },
            Auth = root.GetSection("auth"),
            Proxy = root.GetSection("proxy"),
            Warnings = [],
            Source = source,
            Tree = tree,
        };

        return configuration;
    }

    /// <summary>
    /// Lists what binding left unread, after every feature has bound its sections; call once at start-up.
    /// Each entry names the YAML path and its variable.
    /// </summary>
    public static IReadOnlyList<string> CollectUnusedKeys(RegistryConfiguration configuration)
    {
        var unused = new List<string>();
        Collect(configuration.Tree, string.Empty, unused);
        return unused;
    }

    private static void Collect(ConfigNode node, string path, List<string> unused)
    {
        foreach (var (key, child) in node.Mapping ?? [])
        {
            var childPath = path.Length == 0 ? key : path + "." + key;
            if (!child.Consumed)
            {
                unused.Add($"{childPath} ({EnvironmentOverrides.Prefix}{childPath.Replace('.', '_').ToUpperInvariant()})");
            }
            else
            {
                Collect(child, childPath, unused);
            }
        }
    }

    private static LogOptions BindLog(ConfigSection? log)
    {
        if (log is null)
        {
            return new LogOptions();
        }

        var level = (log.GetString("level") ?? "info").ToLowerInvariant();
        if (level is not ("debug" or "info" or "warn" or "warning" or "error" or "fatal" or "panic"))
        {
            throw log.Error("level", $"'{level}' is not one of debug, info, warn, error");
        }

        var formatter = (log.GetString("formatter") ?? "text").ToLowerInvariant();
        if (formatter is not ("text" or "json" or "logstash"))
        {
            throw log.Error("formatter", $"'{formatter}' is not one of text, json, logstash");
        }

        return new LogOptions
        {
            Level = level,
            Formatter = formatter,
            AccessLogDisabled = log.GetSection("accesslog")?.GetBool("disabled", false) ?? false,
            Fields = log.GetStringListMap("fields"),
        };
    }

    private static StorageOptions BindStorage(ConfigSection root)
    {
        var storageNode = root.IsValue("storage") ? root.GetString("storage") : null;
        if (storageNode is { Length: > 0 })
        {
            // `storage: inmemory` written as a bare value names a driver with no parameters.
            return new StorageOptions
            {
                Driver = storageNode.ToLowerInvariant(),
                DriverParameters = new ConfigSection(ConfigNode.NewMapping(), "storage." + storageNode.ToLowerInvariant()),
            };
        }

        var storage = root.GetSection("storage") ?? throw root.Error("storage", "is required: name one storage driver, such as filesystem or azure");
        var drivers = storage.Keys.Where(k => !StorageSettingKeys.Contains(k)).ToList();
        if (drivers.Count == 0)
        {
            throw storage.Error("filesystem", "no storage driver is configured; set storage.filesystem.rootdirectory or another driver");
        }

        if (drivers.Count > 1)
        {
            throw new ConfigurationException(
                $"storage: more than one storage driver is configured ({string.Join(", ", drivers)}); keep exactly one. " +
                $"Set REGISTRY_STORAGE=<driver> to replace the file's storage section from the environment.");
        }

        var driver = drivers[0].ToLowerInvariant();
        var maintenance = storage.GetSection("maintenance");
        var purging = maintenance?.GetSection("uploadpurging");
        return new StorageOptions
        {
            Driver = driver,
            DriverParameters = storage.GetSection(drivers[0])!,
            DeleteEnabled = storage.GetSection("delete")?.GetBool("enabled", false) ?? false,
            RedirectDisabled = storage.GetSection("redirect")?.GetBool("disable", false) ?? false,
            ReadOnly = maintenance?.GetSection("readonly")?.GetBool("enabled", false) ?? false,
            UploadPurging = purging is null ? new UploadPurgingOptions() : new UploadPurgingOptions
            {
                Enabled = purging.GetBool("enabled", true),
                Age = purging.GetDuration("age", TimeSpan.FromHours(168)),
                Interval = ConfigurationLimits.AtMost(purging, "interval", purging.GetDuration("interval", TimeSpan.FromHours(24)), ConfigurationLimits.LongestInterval),
                DryRun = purging.GetBool("dryrun", false),
            },
            GarbageCollection = BindGarbageCollection(storage.GetSection("gc")),
        };
    }

    private static GarbageCollectionOptions BindGarbageCollection(ConfigSection? gc)
    {
        if (gc is null)
        {
            return new GarbageCollectionOptions();
        }

        var defaults = new GarbageCollectionOptions();
        var options = new GarbageCollectionOptions
        {
            Enabled = gc.GetBool("enabled", false),
            Interval = ConfigurationLimits.AtMost(gc, "interval", gc.GetDuration("interval", defaults.Interval), ConfigurationLimits.LongestInterval),
            GracePeriodConfigured = !string.IsNullOrEmpty(gc.GetString("graceperiod")),
            GracePeriod = ConfigurationLimits.AtMost(gc, "graceperiod", gc.GetDuration("graceperiod", defaults.GracePeriod), ConfigurationLimits.LongestRetention),
            DeleteUntagged = gc.GetBool("deleteuntagged", false),
            DryRun = gc.GetBool("dryrun", false),
            Quarantine = ConfigurationLimits.AtMost(gc, "quarantine", gc.GetDuration("quarantine", defaults.Quarantine), ConfigurationLimits.LongestRetention),
        };
        foreach (var (key, value) in new[] { ("interval", options.Interval), ("graceperiod", options.GracePeriod), ("quarantine", options.Quarantine) })
        {
            if (value < TimeSpan.Zero)
            {
                throw gc.Error(key, "must not be negative");
            }
        }

        return options;
    }

    private static HttpOptions BindHttp(ConfigSection? http)
    {
        if (http is null)
        {
            return new HttpOptions();
        }

        var host = http.GetString("host");
        if (!string.IsNullOrEmpty(host) && !Uri.TryCreate(host, UriKind.Absolute, out _))
        {
            throw http.Error("host", $"'{host}' is not an absolute URL such as https://registry.example.com");
        }

        var addr = http.GetString("addr") ?? ":5000";
        if (!ListenAddress.TryParse(addr, out _))
        {
            throw http.Error("addr", $"'{addr}' is not a listen address such as :5000 or 127.0.0.1:5000");
        }

        return new HttpOptions
        {
            Addr = addr,
            Host = string.IsNullOrEmpty(host) ? null : host.TrimEnd('/'),
            RelativeUrls = http.GetBool("relativeurls", false),
            Secret = http.GetString("secret"),
            Headers = http.GetStringListMap("headers"),
            Tls = http.GetSection("tls"),
            Limits = HttpLimitsOptions.Bind(http.GetSection("limits")),
            Prefix = BindPrefix(http),
            DrainTimeout = http.GetDuration("draintimeout", HttpOptions.DefaultDrainTimeout),
            Debug = DebugOptions.Bind(http.GetSection("debug")),
        };
    }

    // registry:2 writes the prefix with both slashes (/registry/); either form is accepted and kept without the last.
    private static string BindPrefix(ConfigSection http)
    {
        var prefix = http.GetString("prefix");
        if (string.IsNullOrEmpty(prefix) || prefix == "/")
        {
            return string.Empty;
        }

        var trimmed = prefix.TrimEnd('/');
        var segments = trimmed.Split('/');
        if (!prefix.StartsWith('/') || segments.Skip(1).Any(s => s.Length == 0 || s is "." or ".." || s.Any(c => c is '?' or '#' or '%' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw http.Error("prefix", $"'{prefix}' is not a path such as /registry/");
        }

        return trimmed;
    }
}
