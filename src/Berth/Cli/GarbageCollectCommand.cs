using Berth.Composition;
using Berth.Core;
using Berth.Core.Collection;
using Berth.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// <c>berth garbage-collect [--dry-run|-d] [--delete-untagged|-m] [--grace-period=DURATION] [config.yml]</c>:
/// registry:2's offline command, with its flags and its output, on the storage the configuration names. No running
/// registry is needed. With a grace period (the flag, or <c>storage.gc.graceperiod</c> when the configuration sets
/// it) it is also safe against a Berth that serves the same store: what a push touched within the period stays.
/// </summary>
internal static class GarbageCollectCommand
{
    public static bool TryParse(string[] arguments, out CollectionOptions options, out string? configPath)
    {
        var dryRun = false;
        var deleteUntagged = false;
        TimeSpan? gracePeriod = null;
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
                case var grace when grace.StartsWith("--grace-period=", StringComparison.Ordinal):
                    if (!GoDuration.TryParse(grace["--grace-period=".Length..], out var parsed) || parsed < TimeSpan.Zero || parsed > ConfigurationLimits.LongestRetention)
                    {
                        return false;
                    }

                    gracePeriod = parsed;
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

        options = new CollectionOptions(dryRun, deleteUntagged) { GracePeriod = gracePeriod ?? TimeSpan.MinValue };
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
        if (options.GracePeriod == TimeSpan.MinValue)
        {
            // Unset on the command line: registry:2's behaviour (no grace) unless the configuration names a period or
            // a Berth is serving the store, whose pushes the grace period protects.
            var configured = configuration.Storage.GarbageCollection;
            var serving = await provider.GetRequiredService<ServingInstances>().FindLiveAsync(DateTimeOffset.UtcNow);
            options = options with { GracePeriod = configured.GracePeriodConfigured || serving.Count > 0 ? configured.GracePeriod : TimeSpan.Zero };
            if (serving.Count > 0 && !configured.GracePeriodConfigured)
            {
                await output.WriteLineAsync(
                    $"berth: {serving.Count} Berth instance(s) serving this store (heartbeat {serving.Max(s => s.LastSeen):O}): keeping blobs modified in the last " +
                    $"{options.GracePeriod} (storage.gc.graceperiod); pass --grace-period=0s only when nothing pushes");
            }
        }

        await provider.GetRequiredService<GarbageCollector>().CollectAsync(options, output);
        return 0;
    }
}
