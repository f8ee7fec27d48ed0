namespace Berth.Core.Configuration;

/// <summary>
/// One node of the merged configuration tree (config.yml with REGISTRY_* applied): a scalar, a mapping with
/// case-insensitive keys (registry:2 matches keys that way) or a sequence. Binding marks what it reads, so whatever
/// is left unread can be reported as unsupported by name.
/// </summary>
public sealed class ConfigNode
{
    private ConfigNode(string? scalar, Dictionary<string, ConfigNode>? mapping, List<ConfigNode>? sequence)
    {
        Scalar = scalar;
        Mapping = mapping;
        Sequence = sequence;
    }

    public string? Scalar { get; }

    public Dictionary<string, ConfigNode>? Mapping { get; }

    public List<ConfigNode>? Sequence { get; }

    public bool IsMapping => Mapping is not null;

    public bool IsScalar => Scalar is not null;

    /// <summary>Set when binding read this node (or all of it, for maps bound wholesale).</summary>
    public bool Consumed { get; set; }

    public static ConfigNode FromScalar(string value) => new(value, null, null);

    public static ConfigNode NewMapping() => new(null, new Dictionary<string, ConfigNode>(StringComparer.OrdinalIgnoreCase), null);

    public static ConfigNode FromSequence(List<ConfigNode> items) => new(null, null, items);

    public void MarkConsumedDeep()
    {
        Consumed = true;
        foreach (var child in Mapping?.Values ?? Enumerable.Empty<ConfigNode>())
        {
            child.MarkConsumedDeep();
        }

        foreach (var child in Sequence ?? Enumerable.Empty<ConfigNode>())
        {
            child.MarkConsumedDeep();
        }
    }

    public override string ToString() =>
        Scalar ?? (Sequence is not null ? "[" + string.Join(", ", Sequence) + "]" : "{…}");
}
