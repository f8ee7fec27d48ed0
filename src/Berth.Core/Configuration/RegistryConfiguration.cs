using Berth.Core.Retention;

namespace Berth.Core.Configuration;

/// <summary>The effective configuration after config.yml and REGISTRY_* are merged and validated.</summary>
public sealed class RegistryConfiguration
{
    public required LogOptions Log { get; init; }

    public required StorageOptions Storage { get; init; }

    public required HttpOptions Http { get; init; }

    public required CatalogOptions Catalog { get; init; }

    public HealthOptions Health { get; init; } = new();

    /// <summary>Berth's own <c>retention</c> section: policies and immutable tags.</summary>
    public RetentionOptions Retention { get; init; } = new();

    public UiOptions Ui { get; init; } = new();

    /// <summary>The raw <c>auth</c> section, bound by the auth feature; null when the registry is open.</summary>
    public ConfigSection? Auth { get; init; }

    /// <summary>The raw <c>proxy</c> section, bound by the pull-through cache; null when Berth only hosts.</summary>
    public ConfigSection? Proxy { get; init; }

    /// <summary>Keys that were given but that Berth does not act on, each with its variable name.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Where the configuration came from, for the start-up log line.</summary>
    public required string Source { get; init; }

    /// <summary>The whole merged tree, for <c>berth config check</c>.</summary>
    public required ConfigNode Tree { get; init; }
}

public sealed class LogOptions
{
    public string Level { get; init; } = "info";

    public string Formatter { get; init; } = "text";

    public bool AccessLogDisabled { get; init; }

    public IReadOnlyDictionary<string, string[]> Fields { get; init; } = new Dictionary<string, string[]>();
}

public sealed class StorageOptions
{
    /// <summary>The driver's registry:2 name: filesystem, azure, inmemory.</summary>
    public required string Driver { get; init; }

    /// <summary>The driver's own section (<c>storage.&lt;driver&gt;</c>), bound by the driver.</summary>
    public required ConfigSection DriverParameters { get; init; }

    public bool DeleteEnabled { get; init; }

    public bool RedirectDisabled { get; init; }

    public bool ReadOnly { get; init; }

    public UploadPurgingOptions UploadPurging { get; init; } = new();

    /// <summary>Berth's own <c>storage.gc</c> section: the online collector.</summary>
    public GarbageCollectionOptions GarbageCollection { get; init; } = new();
}

public sealed class UploadPurgingOptions
{
    // registry:2's defaults: purge uploads older than a week, once a day.
    public bool Enabled { get; init; } = true;

    public TimeSpan Age { get; init; } = TimeSpan.FromHours(168);

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(24);

    public bool DryRun { get; init; }
}

public sealed class HttpOptions
{
    public string Addr { get; init; } = ":5000";

    /// <summary>External base URL used to build Location headers; empty to use the request's own host.</summary>
    public string? Host { get; init; }

    public bool RelativeUrls { get; init; }

    public string? Secret { get; init; }

    public IReadOnlyDictionary<string, string[]> Headers { get; init; } = new Dictionary<string, string[]>();

    /// <summary>The raw <c>http.tls</c> section, bound by the TLS feature; null when serving plain HTTP.</summary>
    public ConfigSection? Tls { get; init; }

    public HttpLimitsOptions Limits { get; init; } = new();

    /// <summary>The path the API is served under behind a reverse proxy (<c>/registry</c>); empty for the root.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>
    /// How long a stopping registry lets in-flight requests finish. registry:2's default (0) cuts them off at once;
    /// Berth's is ASP.NET Core's 30 s, so a routine restart does not fail pushes that were nearly done.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;

    public DebugOptions Debug { get; init; } = new();

    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);
}

public sealed class CatalogOptions
{
    /// <summary>registry:2's default page size limit for _catalog.</summary>
    public int MaxEntries { get; init; } = 1000;
}

public sealed class UiOptions
{
    /// <summary>Berth's own web UI at / and its JSON API under /api/v1/ (<c>ui.enabled</c>).</summary>
    public bool Enabled { get; init; } = true;
}
