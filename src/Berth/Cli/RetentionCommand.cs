using Berth.Composition;
using Berth.Core;
using Berth.Core.Configuration;
using Berth.Core.Retention;
using Berth.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Cli;

/// <summary>
/// <c>berth retention apply [--dry-run|-d] [config.yml]</c>: one retention pass over the storage the configuration
/// names, whether or not <c>retention.enabled</c> schedules it. Safe beside a serving registry.
/// </summary>
internal static class RetentionCommand
{
    public static bool TryParse(string[] arguments, out bool dryRun, out string? configPath)
    {
        dryRun = false;
        configPath = null;
        foreach (var argument in arguments)
        {
            if (argument is "--dry-run" or "-d" or "--dry-run=true")
            {
                dryRun = true;
            }
            else if (argument.StartsWith('-') || configPath is not null)
            {
                return false;
            }
            else
            {
                configPath = argument;
            }
        }

        return true;
    }

    public static async Task<int> RunAsync(bool dryRun, string? configPath, TextWriter output, TextWriter error)
    {
        var configuration = ConfigurationLoader.Load(configPath, EnvironmentVariables.Read());
        if (configuration.Retention.Policies.Count == 0)
        {
            await error.WriteLineAsync("berth: retention.policies (REGISTRY_RETENTION_POLICIES) is empty: nothing to apply");
            return 1;
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => RegistryLogging.Configure(logging, configuration.Log));
        services.AddBerthCore(configuration);
        StorageDrivers.Add(services, configuration.Storage);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<RetentionRunner>().ApplyAsync(dryRun, output);
        return 0;
    }
}
