using Berth.Core.Configuration;

namespace Berth.Core.Tests.Retention;

/// <summary>Berth's retention section: bound from YAML and REGISTRY_* variables, refused at start-up when wrong.</summary>
public sealed class RetentionConfigurationTests
{
    [Fact]
    public void Policies_are_bound_in_order_and_the_first_covering_policy_wins()
    {
        var retention = Bind("""
            retention:
              enabled: true
              interval: 30m
              immutable: ['^v\d+\.\d+\.\d+$']
              policies:
                - repositories: ["ci/**", "!ci/golden/**"]
                  keeptags: ['^v\d+', 'stable']
                  keepmostrecent: 10
                  deletetagsolderthan: 720h
                  deleteuntaggedafter: 72h
                - repositories: ["**"]
                  deleteuntaggedafter: 168h
            """).Retention;

        Assert.True(retention.Enabled);
        Assert.Equal(TimeSpan.FromMinutes(30), retention.Interval);
        Assert.Equal(2, retention.Policies.Count);
        var first = retention.Policies[0];
        Assert.Equal((10, TimeSpan.FromHours(720), TimeSpan.FromHours(72)), (first.KeepMostRecent!.Value, first.DeleteTagsOlderThan!.Value, first.DeleteUntaggedAfter!.Value));
        Assert.True(first.KeepTags.IsMatch("v2") && first.KeepTags.IsMatch("stable-3") && !first.KeepTags.IsMatch("main"));
        Assert.True(retention.Immutable.IsMatch("v1.2.3") && !retention.Immutable.IsMatch("v1.2.3-rc1"));
        Assert.Same(first, retention.PolicyFor("ci/app"));
        Assert.Same(first, retention.PolicyFor("ci/team/app"));
        Assert.Same(retention.Policies[1], retention.PolicyFor("ci/golden/base"));
        Assert.Same(retention.Policies[1], retention.PolicyFor("ci"));
        Assert.Null(retention.Policies[1].KeepMostRecent);
        Assert.False(retention.Policies[1].DeletesTags);
    }

    [Fact]
    public void Without_a_section_nothing_is_scheduled_and_no_tag_is_immutable()
    {
        var retention = Bind(string.Empty).Retention;

        Assert.False(retention.Enabled);
        Assert.Empty(retention.Policies);
        Assert.True(retention.Immutable.IsEmpty);
        Assert.Null(retention.PolicyFor("anything"));
    }

    [Fact]
    public void A_variable_replaces_the_policy_list_with_yaml_and_sets_scalar_keys()
    {
        var retention = Bind(
            "retention:\n  policies:\n    - repositories: [a/*]\n      keepmostrecent: 1\n",
            ("REGISTRY_RETENTION_POLICIES", "[{repositories: ['team/*'], keepmostrecent: 3}]"),
            ("REGISTRY_RETENTION_ENABLED", "true"),
            ("REGISTRY_RETENTION_IMMUTABLE", "^release-")).Retention;

        Assert.True(retention.Enabled);
        Assert.Equal(3, Assert.Single(retention.Policies).KeepMostRecent);
        Assert.NotNull(retention.PolicyFor("team/app"));
        Assert.Null(retention.PolicyFor("a/app"));
        Assert.True(retention.Immutable.IsMatch("release-1"));
    }

    [Theory]
    [InlineData("keeptags: ['(unclosed']", "retention.policies[0].keeptags (REGISTRY_RETENTION_POLICIES)", "(unclosed")]
    [InlineData("deletetagsolderthan: 30days", "retention.policies[0].deletetagsolderthan (REGISTRY_RETENTION_POLICIES)", "30days")]
    [InlineData("deleteuntaggedafter: 0", "retention.policies[0].deleteuntaggedafter (REGISTRY_RETENTION_POLICIES)", "positive")]
    [InlineData("keepmostrecent: -1", "retention.policies[0].keepmostrecent (REGISTRY_RETENTION_POLICIES)", "-1")]
    [InlineData("keeptag: ['^v']", "retention.policies[0].keeptag (REGISTRY_RETENTION_POLICIES)", "not a retention policy key")]
    public void A_bad_policy_fails_with_its_yaml_path_and_variable(string line, string described, string detail)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind($"retention:\n  policies:\n    - repositories: ['ci/*']\n      {line}\n"));

        Assert.Contains(described, error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("repositories: ['CI/*']", "retention.policies[0].repositories", "CI/*")]
    [InlineData("repositories: ['ci//app']", "retention.policies[0].repositories", "ci//app")]
    [InlineData("repositories: ['!ci/golden/**']", "retention.policies[0].repositories", "only exclusions")]
    [InlineData("keeptags: ['^v']", "retention.policies[0].repositories", "is required")]
    public void A_bad_or_missing_glob_fails_with_its_yaml_path(string line, string described, string detail)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind($"retention:\n  policies:\n    - deleteuntaggedafter: 1h\n      {line}\n"));

        Assert.Contains(described, error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_that_deletes_nothing_a_bad_immutable_pattern_and_an_unknown_key_are_refused()
    {
        var idle = Assert.Throws<ConfigurationException>(() => Bind("retention:\n  policies:\n    - repositories: ['**']\n      keeptags: [x]\n"));
        Assert.Contains("deletes nothing", idle.Message, StringComparison.Ordinal);

        var immutable = Assert.Throws<ConfigurationException>(() => Bind("retention:\n  immutable: ['[v']\n"));
        Assert.Contains("retention.immutable (REGISTRY_RETENTION_IMMUTABLE)", immutable.Message, StringComparison.Ordinal);

        var typo = Assert.Throws<ConfigurationException>(() => Bind("retention:\n  dry_run: true\n"));
        Assert.Contains("retention.dry_run (REGISTRY_RETENTION_DRY_RUN): is not a retention key", typo.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ci/**", "ci/app", true)]
    [InlineData("ci/**", "ci/team/app", true)]
    [InlineData("ci/**", "ci", false)]
    [InlineData("ci/**", "cix/app", false)]
    [InlineData("ci/*", "ci/team/app", false)]
    [InlineData("ci/*", "ci/app", true)]
    [InlineData("**/base", "base", true)]
    [InlineData("**/base", "a/b/base", true)]
    [InlineData("**/base", "a/b/base2", false)]
    [InlineData("a/**/z", "a/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    [InlineData("team-?/app", "team-a/app", true)]
    [InlineData("team-?/app", "team-ab/app", false)]
    [InlineData("*", "app", true)]
    [InlineData("*", "team/app", false)]
    [InlineData("**", "team/app", true)]
    public void Globs_match_within_and_across_segments(string glob, string repository, bool covered)
    {
        var retention = Bind($"retention:\n  policies:\n    - repositories: ['{glob}']\n      keepmostrecent: 1\n").Retention;

        Assert.Equal(covered, retention.PolicyFor(repository) is not null);
    }

    private static RegistryConfiguration Bind(string retention, params (string Name, string Value)[] environment)
    {
        var tree = ConfigTreeReader.ReadDocument("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /tmp/unused\n" + retention, "test");
        EnvironmentOverrides.Apply(tree, environment.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        return ConfigurationLoader.Bind(tree, "test");
    }
}
