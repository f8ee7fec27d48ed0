using System.Text.RegularExpressions;

namespace Berth.Server.Auth.Builtin;

/// <summary>
/// One rule of the built-in issuer's policy: who (users, groups, any signed-in user via <c>*</c>, or anonymous
/// callers), which repositories (globs; <c>*</c> matches any run of characters including <c>/</c>), which actions.
/// </summary>
internal sealed class AccessRule(string name, IReadOnlySet<string> users, IReadOnlySet<string> groups, bool anonymous, IReadOnlyList<string> repositories, IReadOnlySet<string> actions)
{
    private readonly Regex[] _repositories = repositories.Select(Glob).ToArray();

    public string Name => name;

    public IReadOnlySet<string> Actions => actions;

    public bool AppliesTo(string? user, IReadOnlySet<string> userGroups) =>
        anonymous
        || (user is not null && (users.Contains("*") || users.Contains(user) || groups.Overlaps(userGroups)));

    public bool Covers(string repository) => _repositories.Any(r => r.IsMatch(repository));

    // \A and \z, not ^ and $: in .NET '$' also matches before a final "\n", so "team-a/*" would cover "team-a/app\n".
    private static Regex Glob(string pattern) =>
        new(@"\A" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + @"\z",
            RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.NonBacktracking);
}
