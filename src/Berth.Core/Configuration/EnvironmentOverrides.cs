namespace Berth.Core.Configuration;

/// <summary>
/// registry:2's rule for REGISTRY_* variables (configuration/parser.go): every '_' after the prefix is one level down
/// the YAML tree, keys match case-insensitively, values are YAML, and variables apply in sorted order so that
/// <c>REGISTRY_STORAGE=azure</c> replaces the storage section before <c>REGISTRY_STORAGE_AZURE_*</c> fill it in.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "REGISTRY_";
    public const string ConfigurationPathVariable = "REGISTRY_CONFIGURATION_PATH";

    /// <summary>Applies the variables to the tree and returns the names that were applied.</summary>
    public static IReadOnlyList<string> Apply(ConfigNode root, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var applied = new List<string>();
        var variables = environment
            .Where(v => v.Key.StartsWith(Prefix, StringComparison.Ordinal) && v.Key != ConfigurationPathVariable)
            .OrderBy(v => v.Key, StringComparer.Ordinal);

        foreach (var (name, value) in variables)
        {
            var segments = name[Prefix.Length..].Split('_');
            if (segments.Any(string.IsNullOrEmpty))
            {
                continue;
            }

            Set(root, segments, ConfigTreeReader.ReadValue(value));
            applied.Add(name);
        }

        return applied;
    }

    private static void Set(ConfigNode root, string[] segments, ConfigNode value)
    {
        var node = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var key = segments[i].ToLowerInvariant();
            if (!node.Mapping!.TryGetValue(key, out var child) || !child.IsMapping)
            {
                // A scalar section such as `storage: azure` becomes `storage: {azure: {}}` when a deeper variable
                // names a child, which is how REGISTRY_STORAGE=azure plus REGISTRY_STORAGE_AZURE_* combine.
                var replacement = ConfigNode.NewMapping();
                if (child is { IsScalar: true, Scalar.Length: > 0 })
                {
                    replacement.Mapping![child.Scalar!] = ConfigNode.NewMapping();
                }

                node.Mapping![key] = replacement;
                child = replacement;
            }

            node = child;
        }

        node.Mapping![segments[^1].ToLowerInvariant()] = value;
    }
}
