using System.Text.RegularExpressions;

namespace Berth.Server.Routing;

public enum RouteKind
{
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    Upload,
    Referrers,
}

/// <summary>
/// The part of a /v2/ URL after the prefix. Repository names contain '/', so the resource is recognised by its
/// suffix and everything before it is the name (validated separately, before storage is touched).
/// </summary>
public sealed partial record RegistryRoute(RouteKind Kind, string Name, string Reference)
{
    [GeneratedRegex(@"^(?<name>.+)/blobs/uploads/?\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex UploadStartPattern();

    [GeneratedRegex(@"^(?<name>.+)/blobs/uploads/(?<ref>[^/]+)\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex UploadPattern();

    [GeneratedRegex(@"^(?<name>.+)/blobs/(?<ref>[^/]+)\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex BlobPattern();

    [GeneratedRegex(@"^(?<name>.+)/manifests/(?<ref>[^/]+)\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ManifestPattern();

    [GeneratedRegex(@"^(?<name>.+)/tags/list\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex TagsPattern();

    [GeneratedRegex(@"^(?<name>.+)/referrers/(?<ref>[^/]+)\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ReferrersPattern();

    /// <summary>Parses the path after <c>/v2/</c>; null when it names no registry resource.</summary>
    public static RegistryRoute? Parse(string path)
    {
        if (path.Length == 0)
        {
            return new RegistryRoute(RouteKind.Base, string.Empty, string.Empty);
        }

        if (path is "_catalog" or "_catalog/")
        {
            return new RegistryRoute(RouteKind.Catalog, string.Empty, string.Empty);
        }

        return Match(UploadStartPattern(), path, RouteKind.UploadStart)
            ?? Match(UploadPattern(), path, RouteKind.Upload)
            ?? Match(BlobPattern(), path, RouteKind.Blob)
            ?? Match(ManifestPattern(), path, RouteKind.Manifest)
            ?? Match(TagsPattern(), path, RouteKind.Tags)
            ?? Match(ReferrersPattern(), path, RouteKind.Referrers);
    }

    private static RegistryRoute? Match(Regex pattern, string path, RouteKind kind)
    {
        var match = pattern.Match(path);
        return match.Success ? new RegistryRoute(kind, match.Groups["name"].Value, match.Groups["ref"].Value) : null;
    }
}
