using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Berth.Server.Logging;

/// <summary>
/// Writes log lines the way registry:2 (logrus) does, so existing log pipelines keep working: <c>time</c>,
/// <c>level</c>, <c>msg</c>, then <c>log.fields</c>, the request's fields (<see cref="RequestLogScope"/>) and the
/// message's own. JSON lines for <c>json</c>/<c>logstash</c>, <c>key=value</c> text otherwise.
/// </summary>
internal sealed class RegistryLogFormatter : ConsoleFormatter
{
    public const string FormatterName = "registry";

    private const string OriginalFormat = "{OriginalFormat}";

    // Log lines are read by people and log shippers, never embedded in HTML: keep quotes and non-ASCII readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RegistryLogFormatterOptions _options;

    public RegistryLogFormatter(IOptions<RegistryLogFormatterOptions> options)
        : base(FormatterName) => _options = options.Value;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var fields = new List<KeyValuePair<string, object?>>
        {
            new("time", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)),
            new("level", Level(logEntry.LogLevel)),
            new("msg", message ?? string.Empty),
        };
        foreach (var (key, values) in _options.Fields)
        {
            Add(fields, key, values.Length == 1 ? values[0] : values);
        }

        scopeProvider?.ForEachScope(static (scope, list) =>
        {
            // Only the registry's own request fields: the framework's hosting scope repeats them under other names.
            if (scope is RequestLogScope properties)
            {
                foreach (var (key, value) in properties)
                {
                    Add(list, key, value);
                }
            }
        }, fields);

        if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> state)
        {
            foreach (var (key, value) in state)
            {
                Add(fields, key, value);
            }
        }

        Add(fields, "category", logEntry.Category);
        if (logEntry.Exception is { } exception)
        {
            Add(fields, "error", _options.Json ? exception.ToString() : exception.Message);
        }

        if (_options.Json)
        {
            WriteJson(fields, textWriter);
        }
        else
        {
            WriteText(fields, textWriter);
            if (logEntry.Exception is { } e)
            {
                textWriter.WriteLine(e.ToString());
            }
        }
    }

    private static void Add(List<KeyValuePair<string, object?>> fields, string key, object? value)
    {
        if (key == OriginalFormat || fields.Exists(f => f.Key == key))
        {
            return;
        }

        fields.Add(new(key, value));
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "fatal",
    };

    private static void WriteJson(List<KeyValuePair<string, object?>> fields, TextWriter textWriter)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var (key, value) in fields)
            {
                json.WritePropertyName(key);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case bool b:
                        json.WriteBooleanValue(b);
                        break;
                    case int or long or short or byte or uint or ulong or ushort:
                        json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case double or float or decimal:
                        json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                    case string[] items:
                        json.WriteStartArray();
                        foreach (var item in items)
                        {
                            json.WriteStringValue(item);
                        }

                        json.WriteEndArray();
                        break;
                    default:
                        json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static void WriteText(List<KeyValuePair<string, object?>> fields, TextWriter textWriter)
    {
        var line = new StringBuilder(256);
        foreach (var (key, value) in fields)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }

            var text = value is string[] items ? string.Join(",", items) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            line.Append(key).Append('=');
            if (text.Length > 0 && !text.Any(c => c is ' ' or '"' or '=' or '\\' || char.IsControl(c)))
            {
                line.Append(text);
            }
            else
            {
                // Quoted and escaped, so a value can never start a forged field or a new line.
                line.Append(JsonSerializer.Serialize(text, LogJsonContext.Default.String));
            }
        }

        line.Append('\n');
        textWriter.Write(line.ToString());
    }
}
