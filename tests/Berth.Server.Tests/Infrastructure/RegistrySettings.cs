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

        if (CatalogMaxEntries is { } maxEntries)
        {
            yaml.AppendLine("catalog:");
            yaml.AppendLine($"  maxentries: {maxEntries}");
        }

        if (Extra is not null)
        {
            yaml.AppendLine(Extra);
        }

        return yaml.ToString();
    }
}
