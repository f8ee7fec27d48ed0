using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Configuration;

/// <summary>Turns YAML text (a config file, or one environment variable's value) into a <see cref="ConfigNode"/>.</summary>
internal static class ConfigTreeReader
{
    public static ConfigNode ReadDocument(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"{source}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        if (stream.Documents.Count == 0)
        {
            return ConfigNode.NewMapping();
        }

        var root = Convert(stream.Documents[0].RootNode);
        return root.IsMapping ? root : throw new ConfigurationException($"{source}: the top level must be a mapping of keys");
    }

    /// <summary>registry:2 parses each REGISTRY_* value as YAML, so <c>[a, b]</c> is a list and <c>true</c> a boolean.</summary>
    public static ConfigNode ReadValue(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ConfigNode.FromScalar(value);
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(value));
            return stream.Documents.Count == 0 ? ConfigNode.FromScalar(value) : Convert(stream.Documents[0].RootNode);
        }
        catch (YamlException)
        {
            // A value that is not valid YAML (a password with ': ' in it, say) is taken literally.
            return ConfigNode.FromScalar(value);
        }
    }

    private static ConfigNode Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return ConfigNode.FromScalar(scalar.Value ?? string.Empty);
            case YamlSequenceNode sequence:
                return ConfigNode.FromSequence(sequence.Children.Select(Convert).ToList());
            case YamlMappingNode mapping:
                var result = ConfigNode.NewMapping();
                foreach (var (key, value) in mapping.Children)
                {
                    result.Mapping![((YamlScalarNode)key).Value ?? string.Empty] = Convert(value);
                }

                return result;
            default:
                return ConfigNode.FromScalar(string.Empty);
        }
    }
}
