namespace Berth.Server.Auth.Builtin;

/// <summary>
/// Decides what the built-in issuer grants: for each requested resource, the requested actions that some rule
/// applying to the caller allows. As the Docker token spec has it, the token carries the intersection; asking
/// for more is not an error, the registry then refuses the request the token does not cover.
/// </summary>
internal sealed class AccessPolicy(IReadOnlyList<AccessRule> rules, IReadOnlyDictionary<string, string[]> groups)
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";
    public const string Catalog = "catalog";

    public static readonly IReadOnlySet<string> KnownActions = new HashSet<string>(StringComparer.Ordinal) { Pull, Push, Delete, Catalog, "*" };

    private static readonly string[] RepositoryActions = [Pull, Push, Delete];

    private readonly Dictionary<string, HashSet<string>> _groupsOfUser = InvertGroups(groups);

    public IReadOnlyList<string> Grant(string? user, string type, string name, IReadOnlyCollection<string> requested)
    {
        var userGroups = user is not null && _groupsOfUser.TryGetValue(user, out var found) ? found : (IReadOnlySet<string>)new HashSet<string>();
        var applicable = rules.Where(r => r.AppliesTo(user, userGroups));
        if (type == "registry" && name == "catalog")
        {
            return requested.Contains("*") && applicable.Any(r => r.Actions.Contains(Catalog) || r.Actions.Contains("*")) ? ["*"] : [];
        }

        if (type != AccessRecord.Repository)
        {
            return [];
        }

        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in applicable.Where(r => r.Covers(name)))
        {
            allowed.UnionWith(rule.Actions.Contains("*") ? RepositoryActions : rule.Actions.Intersect(RepositoryActions));
        }

        return requested.Contains("*") ? [.. allowed.Order(StringComparer.Ordinal)] : [.. requested.Where(allowed.Contains).Distinct().Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, HashSet<string>> InvertGroups(IReadOnlyDictionary<string, string[]> groups)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (group, members) in groups)
        {
            foreach (var member in members)
            {
                if (!result.TryGetValue(member, out var set))
                {
                    result[member] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(group);
            }
        }

        return result;
    }
}
