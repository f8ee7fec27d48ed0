using System.Reflection;
using Berth.Core.Configuration;

namespace Berth.Cli;

/// <summary>registry:2's verbs (<c>serve</c>, <c>garbage-collect</c>, <c>--version</c>) plus <c>config check</c> and <c>retention apply</c>.</summary>
internal static class BerthCommandLine
{
    private const string Usage = """
        Usage:
          berth serve [config.yml]         run the registry (default: :5000, images under /var/lib/registry)
          berth config check [config.yml]  print the effective configuration, or its errors
          berth garbage-collect [--dry-run|-d] [--delete-untagged|-m] [--grace-period=DURATION] [config.yml]
                                           registry:2's offline mark and sweep (stop the registry or make it
                                           read-only first); --dry-run only prints what would be deleted
          berth retention apply [--dry-run|-d] [config.yml]
                                           apply the retention policies once (safe while the registry runs);
                                           --dry-run only prints what would be deleted
          berth --version                  print the version

        The configuration file may also be named by REGISTRY_CONFIGURATION_PATH; REGISTRY_* variables override it.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return args switch
            {
                ["--version" or "-v" or "version"] => PrintVersion(output),
                ["serve", .. var rest] when rest.Length <= 1 => await ServeCommand.RunAsync(rest.FirstOrDefault(), error),
                ["config", "check", .. var rest] when rest.Length <= 1 => await ConfigCheckCommand.RunAsync(rest.FirstOrDefault(), output, error),
                ["garbage-collect", .. var rest] when GarbageCollectCommand.TryParse(rest, out var options, out var path) =>
                    await GarbageCollectCommand.RunAsync(options, path, output),
                ["retention", "apply", .. var rest] when RetentionCommand.TryParse(rest, out var dryRun, out var path) =>
                    await RetentionCommand.RunAsync(dryRun, path, output, error),
                ["--help" or "-h" or "help"] => PrintUsage(output, 0),
                _ => PrintUsage(error, 2),
            };
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync($"berth: configuration error: {e.Message}");
            return 1;
        }
    }

    public static string Version =>
        typeof(BerthCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static int PrintVersion(TextWriter output)
    {
        output.WriteLine($"berth {Version} (registry API v2, OCI distribution-spec v1.1)");
        return 0;
    }

    private static int PrintUsage(TextWriter writer, int exitCode)
    {
        writer.WriteLine(Usage);
        return exitCode;
    }
}
