using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// <c>berth config check</c> with a retention section: policies print as YAML that reads back the same (a '!' glob
/// would otherwise read as a YAML tag), and a bad policy fails with the item's path and variable, before anything runs.
/// </summary>
public sealed class RetentionConfigCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Config_check_prints_policies_as_valid_yaml_and_names_a_bad_one()
    {
        const string policies = """
            retention:
              policies:
                - repositories: ["ci/**", "!ci/golden/**"]
                  keeptags: ['^v\d+']
                  keepmostrecent: 3
            """;
        var good = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), 5000, policies);
        var printed = await BerthAsync("config", "check", good);
        Assert.Equal(0, printed.ExitCode);
        Assert.Contains("    - keepmostrecent: 3", printed.Output, StringComparison.Ordinal);
        Assert.Contains("        - '!ci/golden/**'", printed.Output, StringComparison.Ordinal);

        // The printed configuration is itself a valid configuration with the same policies.
        var reprinted = Path.Combine(_temp.Path, "printed.yml");
        await File.WriteAllTextAsync(reprinted, printed.Output);
        var again = await BerthAsync("config", "check", reprinted);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(printed.Output.Split('\n').Skip(1), again.Output.Split('\n').Skip(1));

        var bad = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), 5001, policies.Replace("'^v\\d+'", "'(v'", StringComparison.Ordinal));
        var refused = await BerthAsync("retention", "apply", "--dry-run", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("retention.policies[0].keeptags (REGISTRY_RETENTION_POLICIES): '(v' is not a regular expression", refused.Error, StringComparison.Ordinal);
    }

    private static Task<ExternalProcess.Result> BerthAsync(params string[] arguments) =>
        ExternalProcess.RunAsync(RepositoryRoot.BerthFileName, RepositoryRoot.BerthArguments(arguments), TimeSpan.FromMinutes(1));
}
