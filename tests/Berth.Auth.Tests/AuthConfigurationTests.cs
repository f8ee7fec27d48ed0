using Berth.Auth.Tests.Support;
using Berth.Core.Configuration;
using Berth.Server.Auth;

namespace Berth.Auth.Tests;

/// <summary>An auth section Berth cannot honour stops start-up, naming the key: a registry meant to be locked never starts open.</summary>
public sealed class AuthConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("auth:\n  silly:\n    realm: x\n    service: y", "auth.silly (REGISTRY_AUTH_SILLY)")]
    [InlineData("auth:\n  htpasswd:\n    path: /x\n  token:\n    realm: y", "auth: more than one auth type")]
    [InlineData("auth:\n  htpasswd:\n    realm: x", "auth.htpasswd.path (REGISTRY_AUTH_HTPASSWD_PATH): is required")]
    [InlineData("auth:\n  token:\n    realm: r\n    service: s\n    issuer: i", "auth.token.rootcertbundle (REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE)")]
    [InlineData("auth:\n  token:\n    realm: r\n    service: s\n    issuer: i\n    rootcertbundle: /nonexistent.pem", "auth.token.rootcertbundle (REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE): cannot be read")]
    [InlineData("auth:\n  builtin:\n    htpasswd: /x\n    rules:\n      r:\n        anonymous: true\n        repositories: ['*']\n        actions: [push]", "auth.builtin.rules.r.actions")]
    [InlineData("auth:\n  builtin:\n    htpasswd: /x\n    rules:\n      r:\n        groups: [ghosts]\n        repositories: ['*']\n        actions: [pull]", "auth.builtin.rules.r.groups")]
    [InlineData("auth:\n  builtin:\n    htpasswd: /x\n    rules:\n      r:\n        users: [a]\n        repositories: ['*']\n        actions: [pull, fly]", "auth.builtin.rules.r.actions")]
    [InlineData("auth:\n  builtin:\n    htpasswd: /x\n    expiration: 10s", "auth.builtin.expiration (REGISTRY_AUTH_BUILTIN_EXPIRATION)")]
    public void Bad_auth_settings_fail_naming_the_key(string yaml, string expected)
    {
        var configuration = AuthRegistry.Configuration(_directory, yaml);
        var error = Assert.Throws<ConfigurationException>(() => RegistrySecurity.Validate(configuration));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_lists_can_come_from_registry_variables_as_comma_separated_values()
    {
        var tree = ConfigTreeReader.ReadDocument($"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {_directory.Combine("store")}
            auth:
              builtin:
                htpasswd: /x
            """, "test");
        EnvironmentOverrides.Apply(tree, [
            new("REGISTRY_AUTH_BUILTIN_RULES_CI_USERS", "robot1, robot2"),
            new("REGISTRY_AUTH_BUILTIN_RULES_CI_REPOSITORIES", "ci/*"),
            new("REGISTRY_AUTH_BUILTIN_RULES_CI_ACTIONS", "pull,push"),
        ]);
        var configuration = ConfigurationLoader.Bind(tree, "test");
        RegistrySecurity.Validate(configuration);
        Assert.DoesNotContain(ConfigurationLoader.CollectUnusedKeys(configuration), key => key.StartsWith("auth", StringComparison.Ordinal));
    }
}
