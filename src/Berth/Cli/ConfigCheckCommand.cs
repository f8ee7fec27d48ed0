using Berth.Composition;
using Berth.Core.Configuration;
using Berth.Core.Proxy;
using Berth.Server.Auth;
using Berth.Server.Notifications;

namespace Berth.Cli;

/// <summary><c>berth config check</c>: load and validate like <c>serve</c> would, print the result with secrets redacted.</summary>
internal static class ConfigCheckCommand
{
    public static async Task<int> RunAsync(string? configPath, TextWriter output, TextWriter error)
    {
        var configuration = ConfigurationLoader.Load(configPath, EnvironmentVariables.Read());
        StorageDrivers.Validate(configuration.Storage);
        RegistrySecurity.Validate(configuration);
        ProxyOptions.Bind(configuration.Proxy);
        RegistryNotifications.Validate(configuration);
        await output.WriteLineAsync($"# effective configuration from {configuration.Source}");
        await output.WriteAsync(EffectiveConfigPrinter.Print(configuration.Tree));
        var unused = ConfigurationLoader.CollectUnusedKeys(configuration);
        foreach (var key in unused)
        {
            await error.WriteLineAsync($"warning: {key} is not supported by Berth yet and is ignored");
        }

        await output.WriteLineAsync("# configuration is valid");
        return 0;
    }
}
