using System.Text;
using Microsoft.Extensions.Logging;

namespace Berth.Auth.Tests.Support;

/// <summary>Every log line the registry writes, rendered as the console would, with exceptions, for secret checks.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                // Structured sinks (JSON logs) write every field, not only those in the message.
                line += " " + string.Join(' ', values.Select(v => $"{v.Key}={v.Value}"));
            }

            lock (owner._text)
            {
                owner._text.AppendLine(line);
            }
        }
    }
}
