using System.Text.RegularExpressions;
using Berth.Core.Configuration;

namespace Berth.Core.Retention;

/// <summary>
/// Regular expressions over tag names, from the operator's configuration (<c>keeptags</c>, <c>immutable</c>). They
/// match anywhere in the tag unless anchored (<c>^v\d+$</c>), as Go's and .NET's regexes do. Each match is bounded
/// in time; a pattern that times out counts as a match, because every use of these lists errs on keeping a tag.
/// </summary>
public sealed class TagPatterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex[] _patterns;

    private TagPatterns(Regex[] patterns) => _patterns = patterns;

    public static TagPatterns None { get; } = new([]);

    public bool IsEmpty => _patterns.Length == 0;

    public static TagPatterns Bind(ConfigSection section, string key)
    {
        var patterns = new List<Regex>();
        foreach (var pattern in section.GetList(key))
        {
            try
            {
                patterns.Add(new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout));
            }
            catch (ArgumentException e)
            {
                throw section.Error(key, $"'{pattern}' is not a regular expression: {e.Message}");
            }
        }

        return new TagPatterns([.. patterns]);
    }

    public bool IsMatch(string tag)
    {
        foreach (var pattern in _patterns)
        {
            try
            {
                if (pattern.IsMatch(tag))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(", ", _patterns.Select(p => p.ToString()));
}
