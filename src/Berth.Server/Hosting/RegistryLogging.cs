using Berth.Core.Configuration;
using Berth.Server.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Berth.Server.Hosting;

/// <summary>
/// Maps registry:2's <c>log</c> section onto the framework's console logger: <c>level</c>, <c>formatter</c> (text, or
/// JSON lines for json and logstash) and <c>fields</c>, written with registry:2's field names.
/// </summary>
public static class RegistryLogging
{
    public static void Configure(ILoggingBuilder logging, LogOptions options)
    {
        logging.SetMinimumLevel(options.Level switch
        {
            "debug" => LogLevel.Debug,
            "warn" or "warning" => LogLevel.Warning,
            "error" or "fatal" or "panic" => LogLevel.Error,
            _ => LogLevel.Information,
        });

        // The framework's own per-request chatter would drown the access log.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // A failed start (port in use) is reported by `berth serve` in one line; the host's stack trace adds nothing.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        logging.AddConsole(console => console.FormatterName = RegistryLogFormatter.FormatterName);
        // Registered by hand: AddConsoleFormatter<,> binds its options through reflection, which Native AOT cannot keep.
        var formatterOptions = new RegistryLogFormatterOptions
        {
            Json = options.Formatter is "json" or "logstash",
            Fields = options.Fields,
            IncludeScopes = true,
        };
        logging.Services.AddSingleton<ConsoleFormatter>(new RegistryLogFormatter(Options.Create(formatterOptions)));
    }
}
