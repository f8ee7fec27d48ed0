using Berth.Core.Configuration;

namespace Berth.Server.Auth;

/// <summary>
/// Reads a list-valued key (<c>clientcas</c>, a rule's <c>users</c>): a YAML sequence in config.yml, or a
/// comma-separated value from a REGISTRY_* variable, which can only hold a scalar. <see cref="ConfigSection"/>
/// reads scalars and mappings, so lists are read from the merged tree at the section's path.
/// </summary>
internal static class ConfigLists
{
    public static IReadOnlyList<string> Read(ConfigNode root, ConfigSection section, string key)
    {
        var node = root;
        foreach (var part in section.Path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.Mapping is null || !node.Mapping.TryGetValue(part, out node!))
            {
                return [];
            }
        }

        if (node.Mapping is null || !node.Mapping.TryGetValue(key, out var child))
        {
            return [];
        }

        child.MarkConsumedDeep();
        if (child.Sequence is { } items)
        {
            return items.Select(i => i.IsScalar ? i.Scalar!.Trim() : throw section.Error(key, "must be a list of values"))
                .Where(v => v.Length > 0)
                .ToList();
        }

        if (child.IsScalar)
        {
            return child.Scalar!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        throw section.Error(key, "must be a list of values or a comma-separated value");
    }
}
