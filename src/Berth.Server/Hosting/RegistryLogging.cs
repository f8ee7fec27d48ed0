using Berth.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Server.Hosting;

/// <summary>Maps registry:2's <c>log</c> section onto the framework's console logger.</summary>
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
        if (options.Formatter is "json" or "logstash")
        {
            logging.AddJsonConsole(json => json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    }
}
