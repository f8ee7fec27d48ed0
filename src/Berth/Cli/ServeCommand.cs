using Berth.Composition;
using Berth.Core.Configuration;
using Berth.Core.Storage;
using Berth.Server.Auth;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary><c>berth serve</c>: load configuration, open storage (failing fast and clearly), run until stopped.</summary>
internal static partial class ServeCommand
{
    public static async Task<int> RunAsync(string? configPath, TextWriter error)
    {
        var configuration = ConfigurationLoader.Load(configPath, EnvironmentVariables.Read());
        using var loggerFactory = LoggerFactory.Create(logging => RegistryLogging.Configure(logging, configuration.Log));
        var logger = loggerFactory.CreateLogger("Berth");

        var app = RegistryApplication.Build(configuration, services => StorageDrivers.Add(services, configuration.Storage), configure: builder => builder.Services.AddHostedService(
            services => new UploadPurgeService(services.GetRequiredService<RegistryServices>(), configuration.Storage.UploadPurging, services.GetRequiredService<ILogger<UploadPurgeService>>())));

        // Open storage now, before listening: a bad driver setting fails start-up with one clear line.
        _ = app.Services.GetRequiredService<IStorageDriver>();

        LogStarting(logger, BerthCommandLine.Version, configuration.Source, configuration.Storage.Driver, configuration.Http.Addr);
        foreach (var key in ConfigurationLoader.CollectUnusedKeys(configuration))
        {
            LogUnusedKey(logger, key);
        }

        if (ListenAddress.TryParse(configuration.Http.Addr, out var address) && !address.IsLoopback)
        {
            if (!RegistrySecurity.RequiresAuthentication(configuration))
            {
                LogOpenRegistry(logger, configuration.Http.Addr);
            }
            else if (RegistrySecurity.AcceptsPasswords(configuration) && !RegistrySecurity.ServesTls(configuration))
            {
                LogPasswordsOverPlainHttp(logger, configuration.Http.Addr);
            }
        }

        try
        {
            await app.RunAsync();
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new ConfigurationException($"http.addr (REGISTRY_HTTP_ADDR): cannot listen on {configuration.Http.Addr}: the address is already in use");
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"http.addr (REGISTRY_HTTP_ADDR): cannot listen on {configuration.Http.Addr}: {e.Message}");
        }

        return 0;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "berth {Version} starting: configuration from {Source}, storage driver {Driver}, listening on {Addr}")]
    private static partial void LogStarting(ILogger logger, string version, string source, string driver, string addr);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "configuration key {Key} is not supported by Berth yet and is ignored")]
    private static partial void LogUnusedKey(ILogger logger, string key);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "SECURITY: the registry listens on {Addr}, beyond this machine, without authentication: anyone who can reach it can push, pull and delete. Configure auth.htpasswd or auth.token, or listen on 127.0.0.1.")]
    private static partial void LogOpenRegistry(ILogger logger, string addr);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "SECURITY: the registry accepts passwords over plain HTTP on {Addr}, beyond this machine: anyone on the path can read them. Set http.tls.certificate and http.tls.key, or put a TLS-terminating proxy in front and listen on 127.0.0.1.")]
    private static partial void LogPasswordsOverPlainHttp(ILogger logger, string addr);
}
