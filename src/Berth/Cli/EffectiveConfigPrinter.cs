using System.Text;
using Berth.Core.Configuration;

namespace Berth.Cli;

/// <summary>Prints the merged configuration tree as YAML, with every secret replaced so the output can be shared.</summary>
internal static class EffectiveConfigPrinter
{
    private static readonly string[] SecretKeyParts = ["secret", "password", "accountkey", "connectionstring", "token", "credential"];

    public static string Print(ConfigNode tree)
    {
        var text = new StringBuilder();
        Write(tree, 0, text);
        return text.ToString();
    }

    public static bool IsSecretKey(string key) =>
        SecretKeyParts.Any(part => key.Contains(part, StringComparison.OrdinalIgnoreCase));

    private static void Write(ConfigNode node, int indent, StringBuilder text)
    {
        foreach (var (key, child) in (node.Mapping ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(' ', indent).Append(key).Append(':');
            if (child.IsMapping)
            {
                text.AppendLine();
                Write(child, indent + 2, text);
            }
            else if (child.Sequence is { } items)
            {
                text.AppendLine();
                foreach (var item in items)
                {
                    if (item.IsMapping)
                    {
                        // proxy.upstreams: each item's keys printed (and their secrets redacted) like any section's.
                        text.Append(' ', indent + 2).AppendLine("-");
                        Write(item, indent + 4, text);
                        continue;
                    }

                    text.Append(' ', indent + 2).Append("- ").AppendLine(IsSecretKey(key) ? "<redacted>" : Quote(item.ToString()));
                }
            }
            else
            {
                text.Append(' ').AppendLine(IsSecretKey(key) && !string.IsNullOrEmpty(child.Scalar) ? "<redacted>" : Quote(child.Scalar ?? string.Empty));
            }
        }
    }

    private static string Quote(string value) =>
        value.Length == 0 || value.IndexOfAny([':', '#', '\'', '"', '[', ']', '{', '}', ',']) >= 0 || value.Trim() != value
            ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'"
            : value;
}
