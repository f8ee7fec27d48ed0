namespace Berth.Core.Storage;

/// <summary>Checks a driver applies to every path before touching its backend.</summary>
public static class StoragePath
{
    /// <summary>True for '/'-rooted paths with no empty, '.' or '..' segments and no backslash or NUL.</summary>
    public static bool IsValid(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        if (path.Length == 1)
        {
            return true;
        }

        foreach (var segment in path.AsSpan(1).Split('/'))
        {
            var text = path.AsSpan(1)[segment];
            if (text.IsEmpty || text is "." || text is "..")
            {
                return false;
            }
        }

        return true;
    }

    public static string Ensure(string path) =>
        IsValid(path) ? path : throw new ArgumentException($"'{path}' is not a valid storage path", nameof(path));

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
