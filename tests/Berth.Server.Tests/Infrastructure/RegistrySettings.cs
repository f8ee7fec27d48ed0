namespace Berth.Server.Tests.Infrastructure;

/// <summary>The config.yml knobs the protocol tests vary; everything else is registry:2's default.</summary>
public sealed record RegistrySettings
{
    public bool DeleteEnabled { get; init; } = true;

    public bool ReadOnly { get; init; }

    public bool RelativeUrls { get; init; }

    public string? Host { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public int? CatalogMaxEntries { get; init; }

    /// <summary>Lines of the <c>storage.gc</c> section (each "key: value"), or null for none.</summary>
    public IReadOnlyList<string>? GarbageCollection { get; init; }

    /// <summary>Adds http.debug on 127.0.0.1:0 with Prometheus metrics enabled.</summary>
    public bool DebugListener { get; init; }

    public string? Prefix { get; init; }

    /// <summary>A top-level <c>health:</c> section, as YAML lines indented under it.</summary>
    public string? Health { get; init; }

    /// <summary>Top-level YAML appended as it is (Berth's own sections, such as <c>retention</c>).</summary>
    public string? ExtraYaml { get; init; }

    /// <summary>More top-level YAML (a <c>proxy</c> section), appended as given.</summary>
    public string? Extra { get; init; }

    public string ToYaml(string rootDirectory)
    {
        var yaml = new System.Text.StringBuilder();
        yaml.AppendLine("version: 0.1");
        yaml.AppendLine("log:");
        yaml.AppendLine("  level: error");
        yaml.AppendLine("  accesslog:");
        yaml.AppendLine("    disabled: true");
        yaml.AppendLine("storage:");
        yaml.AppendLine("  filesystem:");
        yaml.AppendLine($"    rootdirectory: '{rootDirectory}'");
        yaml.AppendLine("  delete:");
        yaml.AppendLine($"    enabled: {(DeleteEnabled ? "true" : "false")}");
        yaml.AppendLine("  maintenance:");
        yaml.AppendLine("    uploadpurging:");
        yaml.AppendLine("      enabled: false");
        yaml.AppendLine("    readonly:");
        yaml.AppendLine($"      enabled: {(ReadOnly ? "true" : "false")}");
        if (GarbageCollection is not null)
        {
            yaml.AppendLine("  gc:");
            foreach (var line in GarbageCollection)
            {
                yaml.AppendLine("    " + line);
            }
        }

        yaml.AppendLine("http:");
        yaml.AppendLine("  addr: 127.0.0.1:0");
        yaml.AppendLine($"  relativeurls: {(RelativeUrls ? "true" : "false")}");
        if (Host is not null)
        {
            yaml.AppendLine($"  host: {Host}");
        }

        if (Headers.Count > 0)
        {
            yaml.AppendLine("  headers:");
            foreach (var (name, value) in Headers)
            {
                yaml.AppendLine($"    {name}: [{value}]");
            }
        }

        if (Prefix is not null)
        {
            yaml.AppendLine($"  prefix: {Prefix}");
        }

        if (DebugListener)
        {
            yaml.AppendLine("  debug:");
            yaml.AppendLine("    addr: 127.0.0.1:0");
            yaml.AppendLine("    prometheus:");
            yaml.AppendLine("      enabled: true");
        }

        if (Health is not null)
        {
            yaml.AppendLine("health:");
            foreach (var line in Health.Split('\n'))
            {
                yaml.AppendLine("  " + line.TrimEnd('\r'));
            }
        }

        if (CatalogMaxEntries is { } maxEntries)
        {
            yaml.AppendLine("catalog:");
            yaml.AppendLine($"  maxentries: {maxEntries}");
        }

        if (ExtraYaml is not null)
        {
            yaml.AppendLine(ExtraYaml);
        }

        if (Extra is not null)
        {
            yaml.AppendLine(Extra);
        }

        return yaml.ToString();
    }
}
