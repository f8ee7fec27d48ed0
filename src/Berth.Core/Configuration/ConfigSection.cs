using System.Globalization;

namespace Berth.Core.Configuration;

/// <summary>
/// A typed view of one mapping in the configuration tree that knows its YAML path, so every error can name both
/// the key (<c>storage.azure.accountname</c>) and its variable (<c>REGISTRY_STORAGE_AZURE_ACCOUNTNAME</c>).
/// Storage drivers bind their own options from the section they are given.
/// </summary>
public sealed class ConfigSection
{
    private readonly ConfigNode _node;

    public ConfigSection(ConfigNode node, string path)
    {
        _node = node;
        Path = path;
        node.Consumed = true;
    }

    /// <summary>The dotted YAML path of this section; empty for the root.</summary>
    public string Path { get; }

    public IEnumerable<string> Keys => _node.Mapping?.Keys ?? Enumerable.Empty<string>();

    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    public string VariableName(string key) =>
        EnvironmentOverrides.Prefix + KeyPath(key).Replace('.', '_').ToUpperInvariant();

    /// <summary>"storage.azure.accountname (REGISTRY_STORAGE_AZURE_ACCOUNTNAME)" for messages.</summary>
    public string Describe(string key) => $"{KeyPath(key)} ({VariableName(key)})";

    public ConfigurationException Error(string key, string problem) => new($"{Describe(key)}: {problem}");

    public bool Has(string key) => _node.Mapping?.ContainsKey(key) == true;

    /// <summary>True when the key holds a single non-empty value rather than a section.</summary>
    public bool IsValue(string key) =>
        _node.Mapping?.TryGetValue(key, out var child) == true && child is { IsScalar: true, Scalar.Length: > 0 };

    public ConfigSection? GetSection(string key)
    {
        if (Find(key) is not { } child)
        {
            return null;
        }

        if (child.IsScalar && string.IsNullOrEmpty(child.Scalar))
        {
            // `delete:` with nothing under it is an empty section in YAML terms.
            return new ConfigSection(ConfigNode.NewMapping(), KeyPath(key));
        }

        return child.IsMapping ? new ConfigSection(child, KeyPath(key)) : throw Error(key, "must be a section of keys");
    }

    public string? GetString(string key)
    {
        if (Find(key) is not { } child)
        {
            return null;
        }

        return child.IsScalar ? child.Scalar : throw Error(key, "must be a single value");
    }

    public string GetRequiredString(string key) =>
        GetString(key) is { Length: > 0 } value ? value : throw Error(key, "is required");

    public bool GetBool(string key, bool defaultValue)
    {
        var text = GetString(key);
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        // YAML 1.1 booleans, as Go's yaml.v2 reads them.
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "y" => true,
            "false" or "no" or "off" or "n" => false,
            _ => throw Error(key, $"'{text}' is not a boolean (true or false)"),
        };
    }

    public int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = GetString(key);
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(key, $"'{text}' is not a whole number between {min} and {max}");
        }

        return value;
    }

    public TimeSpan GetDuration(string key, TimeSpan defaultValue)
    {
        var text = GetString(key);
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        return GoDuration.TryParse(text, out var value)
            ? value
            : throw Error(key, $"'{text}' is not a duration such as 90s, 10m or 168h");
    }

    /// <summary>A mapping of names to one or more values, such as http.headers.</summary>
    public IReadOnlyDictionary<string, string[]> GetStringListMap(string key)
    {
        var result = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (Find(key) is not { } child)
        {
            return result;
        }

        if (!child.IsMapping)
        {
            throw Error(key, "must be a section of names and values");
        }

        child.MarkConsumedDeep();
        foreach (var (name, value) in child.Mapping!)
        {
            result[name] = value.Sequence is { } items
                ? items.Select(i => i.Scalar ?? string.Empty).ToArray()
                : [value.Scalar ?? string.Empty];
        }

        return result;
    }

    /// <summary>A list of sections, such as notifications.endpoints; each item's path is <c>key[i]</c>.</summary>
    public IReadOnlyList<ConfigSection> GetSequence(string key)
    {
        if (Find(key) is not { } child || (child.IsScalar && string.IsNullOrEmpty(child.Scalar)))
        {
            return [];
        }

        if (child.Sequence is not { } items)
        {
            throw Error(key, "must be a list");
        }

        var sections = new List<ConfigSection>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            sections.Add(items[i].IsMapping ? new ConfigSection(items[i], $"{KeyPath(key)}[{i}]") : throw Error(key, $"item {i} must be a section of keys"));
        }

        return sections;
    }

    /// <summary>A list of values (a YAML sequence, or one value standing for a list of one).</summary>
    public IReadOnlyList<string> GetStringList(string key)
    {
        if (Find(key) is not { } child || (child.IsScalar && string.IsNullOrEmpty(child.Scalar)))
        {
            return [];
        }

        if (child.IsScalar)
        {
            return [child.Scalar!];
        }

        child.MarkConsumedDeep();
        return child.Sequence is { } items
            ? items.Select(i => i.Scalar ?? throw Error(key, "must be a list of values")).ToList()
            : throw Error(key, "must be a list of values");
    }

    private ConfigNode? Find(string key)
    {
        if (_node.Mapping is null || !_node.Mapping.TryGetValue(key, out var child))
        {
            return null;
        }

        child.Consumed = true;
        return child;
    }
}
