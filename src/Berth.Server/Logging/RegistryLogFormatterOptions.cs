using Microsoft.Extensions.Logging.Console;

namespace Berth.Server.Logging;

internal sealed class RegistryLogFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>JSON lines (log.formatter json or logstash) instead of logfmt-style text.</summary>
    public bool Json { get; set; }

    /// <summary>log.fields: added to every line.</summary>
    public IReadOnlyDictionary<string, string[]> Fields { get; set; } = new Dictionary<string, string[]>();
}
