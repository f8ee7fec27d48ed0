using Berth.Composition;
using Berth.Core;
using Berth.Core.Collection;
using Berth.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// <c>berth garbage-collect [--dry-run|-d] [--delete-untagged|-m] [config.yml]</c>: registry:2's offline command,
/// with its flags and its output, on the storage the configuration names. No running registry is needed.
/// </summary>
internal static class GarbageCollectCommand
{
    public static bool TryParse(string[] arguments, out CollectionOptions options, out string? configPath)
    {
        var dryRun = false;
        var deleteUntagged = false;
        configPath = null;
        options = new CollectionOptions(false, false);
        foreach (var argument in arguments)
        {
            switch (argument)
            {
                case "--dry-run" or "-d" or "--dry-run=true":
                    dryRun = true;
                    break;
                case "--delete-untagged" or "-m" or "--delete-untagged=true":
                    deleteUntagged = true;
                    break;
                case "-dm" or "-md":
                    dryRun = deleteUntagged = true;
                    break;
                default:
                    if (argument.StartsWith('-') || configPath is not null)
                    {
                        return false;
                    }

                    configPath = argument;
                    break;
            }
        }

        options = new CollectionOptions(dryRun, deleteUntagged);
        return true;
    }

    public static async Task<int> RunAsync(CollectionOptions options, string? configPath, TextWriter output)
    {
        var configuration = ConfigurationLoader.Load(configPath, EnvironmentVariables.Read());
        var services = new ServiceCollection();
        services.AddLogging(logging => RegistryLogging.Configure(logging, configuration.Log));
        services.AddBerthCore(configuration);
        StorageDrivers.Add(services, configuration.Storage);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<GarbageCollector>().CollectAsync(options, output);
        return 0;
    }
}
