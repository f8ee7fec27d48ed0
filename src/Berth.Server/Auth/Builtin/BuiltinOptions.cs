using Berth.Core.Configuration;

namespace Berth.Server.Auth.Builtin;

/// <summary>
/// Berth's <c>auth.builtin</c>: the registry is its own token server. Users come from an htpasswd file, grants
/// from <c>groups</c> and <c>rules</c>; tokens are signed with <c>signingkey</c>.
/// </summary>
internal sealed record BuiltinOptions(
    string? Realm, string Service, string Issuer, string Htpasswd, string? SigningKeyPath, TimeSpan Expiration,
    ThrottleOptions Throttle, AccessPolicy Policy)
{
    public static BuiltinOptions Bind(ConfigSection section, ConfigNode tree)
    {
        var expiration = section.GetDuration("expiration", TimeSpan.FromMinutes(5));
        if (expiration < TimeSpan.FromMinutes(1) || expiration > TimeSpan.FromHours(24))
        {
            // Docker token spec: expires_in "should be at least 60 seconds"; a day bounds what a leaked token is worth.
            throw section.Error("expiration", "must be between 1m and 24h");
        }

        var groups = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (section.GetSection("groups") is { } groupSection)
        {
            foreach (var group in groupSection.Keys)
            {
                groups[group] = [.. ConfigLists.Read(tree, groupSection, group)];
            }
        }

        var rules = new List<AccessRule>();
        if (section.GetSection("rules") is { } ruleSection)
        {
            foreach (var name in ruleSection.Keys)
            {
                rules.Add(BindRule(ruleSection.GetSection(name)!, name, tree, groups));
            }
        }

        return new BuiltinOptions(
            section.GetString("realm") is { Length: > 0 } realm ? realm : null,
            section.GetString("service") is { Length: > 0 } service ? service : "berth",
            section.GetString("issuer") is { Length: > 0 } issuer ? issuer : "berth",
            section.GetRequiredString("htpasswd"),
            section.GetString("signingkey") is { Length: > 0 } key ? key : null,
            expiration,
            ThrottleOptions.Bind(section.GetSection("throttle")),
            new AccessPolicy(rules, groups));
    }

    private static AccessRule BindRule(ConfigSection rule, string name, ConfigNode tree, IReadOnlyDictionary<string, string[]> groups)
    {
        var users = ConfigLists.Read(tree, rule, "users").ToHashSet(StringComparer.Ordinal);
        var ruleGroups = ConfigLists.Read(tree, rule, "groups").ToHashSet(StringComparer.Ordinal);
        var anonymous = rule.GetBool("anonymous", false);
        var repositories = ConfigLists.Read(tree, rule, "repositories");
        var actions = ConfigLists.Read(tree, rule, "actions").Select(a => a.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

        if (users.Count == 0 && ruleGroups.Count == 0 && !anonymous)
        {
            throw rule.Error("users", "name users, groups, or set anonymous: true; a rule for nobody is a mistake");
        }

        if (ruleGroups.FirstOrDefault(g => !groups.ContainsKey(g)) is { } unknown)
        {
            throw rule.Error("groups", $"group '{unknown}' is not defined under auth.builtin.groups");
        }

        if (actions.Count == 0 || actions.Any(a => !AccessPolicy.KnownActions.Contains(a)))
        {
            throw rule.Error("actions", "must list actions among pull, push, delete, catalog (or *)");
        }

        if (anonymous && actions.Any(a => a is not (AccessPolicy.Pull or AccessPolicy.Catalog)))
        {
            // Anonymous writes are never what someone securing a registry means.
            throw rule.Error("actions", "an anonymous rule may grant only pull and catalog");
        }

        if (repositories.Count == 0 && actions.Any(a => a != AccessPolicy.Catalog))
        {
            throw rule.Error("repositories", "is required: repository globs such as team-a/* or *");
        }

        return new AccessRule(name, users, ruleGroups, anonymous, repositories, actions);
    }
}
