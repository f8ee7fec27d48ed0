using System.Text;
using System.Text.RegularExpressions;
using Berth.Core.Configuration;

namespace Berth.Core.Retention;

/// <summary>
/// Which repositories a retention policy covers: globs where <c>*</c> matches within one path segment, <c>**</c>
/// across segments (<c>ci/**</c> is everything under <c>ci/</c>), <c>?</c> one character; a glob starting with
/// <c>!</c> excludes. A repository is covered when some glob without <c>!</c> matches it and no <c>!</c> glob does.
/// </summary>
public sealed class RepositoryGlobs
{
    private readonly Regex[] _include;
    private readonly Regex[] _exclude;

    private RepositoryGlobs(Regex[] include, Regex[] exclude, string text)
    {
        _include = include;
        _exclude = exclude;
        Text = text;
    }

    /// <summary>The globs as configured, for messages.</summary>
    public string Text { get; }

    public static RepositoryGlobs Bind(ConfigSection section, string key)
    {
        var globs = section.GetList(key);
        if (globs.Count == 0)
        {
            throw section.Error(key, "is required: repository globs such as [\"ci/**\", \"!ci/golden/**\"] or [\"**\"] for all");
        }

        var include = new List<Regex>();
        var exclude = new List<Regex>();
        foreach (var glob in globs)
        {
            var negated = glob.StartsWith('!');
            var pattern = negated ? glob[1..] : glob;
            if (ToRegex(pattern) is not { } regex)
            {
                throw section.Error(key, $"'{glob}' is not a repository glob: use lowercase names with / between segments, * within a segment, ** across segments");
            }

            (negated ? exclude : include).Add(regex);
        }

        if (include.Count == 0)
        {
            throw section.Error(key, "lists only exclusions ('!…'): add the globs the policy covers, such as \"**\"");
        }

        return new RepositoryGlobs([.. include], [.. exclude], string.Join(", ", globs));
    }

    public bool Covers(string repository) =>
        _include.Any(r => r.IsMatch(repository)) && !_exclude.Any(r => r.IsMatch(repository));

    private static Regex? ToRegex(string glob)
    {
        if (glob.Length == 0 || glob.StartsWith('/') || glob.EndsWith('/') || glob.Contains("//", StringComparison.Ordinal))
        {
            return null;
        }

        var regex = new StringBuilder(@"\A");
        var segments = glob.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment == "**")
            {
                // "a/**" is everything under a/; "**/b" and "a/**/b" also match with no segment in between.
                regex.Append(last ? (i == 0 ? ".*" : "[^/].*") : "(?:[^/]+/)*");
                continue;
            }

            foreach (var c in segment)
            {
                switch (c)
                {
                    case '*':
                        regex.Append("[^/]*");
                        break;
                    case '?':
                        regex.Append("[^/]");
                        break;
                    case >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-':
                        regex.Append(Regex.Escape(c.ToString()));
                        break;
                    default:
                        return null;
                }
            }

            if (!last)
            {
                regex.Append('/');
            }
        }

        regex.Append(@"\z");
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }
}
