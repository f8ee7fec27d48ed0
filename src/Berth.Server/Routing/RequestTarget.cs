namespace Berth.Server.Routing;

/// <summary>
/// Checks the request target as the client sent it. Kestrel resolves <c>.</c> and <c>..</c> segments (plain or
/// percent-encoded) before routing, so <c>/v2/a/x/../b/blobs/uploads/</c> would reach repository <c>a/b</c>;
/// registry:2 never serves such a path (its router redirects to the cleaned one and writes nothing), and neither
/// does Berth: the name a client wrote is the only name it may act on. Backslashes separate segments too (see below).
/// </summary>
internal static class RequestTarget
{
    public static bool HasDotSegments(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return false;
        }

        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? rawTarget.AsSpan(0, query) : rawTarget.AsSpan();
        // An absolute-form target ("GET http://host/v2/… HTTP/1.1") gets its path from System.Uri, which reads '\'
        // as '/' before removing dot segments: "x\..\..\b" would become "b" behind a check that splits on '/' only.
        foreach (var range in path.SplitAny('/', '\\'))
        {
            if (IsDotSegment(path[range]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"." or "..", where each dot may be written as %2e or %2E.</summary>
    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        while (!segment.IsEmpty)
        {
            if (segment[0] == '.')
            {
                segment = segment[1..];
            }
            else if (segment.Length >= 3 && segment[0] == '%' && segment[1] == '2' && segment[2] is 'e' or 'E')
            {
                segment = segment[3..];
            }
            else
            {
                return false;
            }

            dots++;
        }

        return dots is 1 or 2;
    }
}
