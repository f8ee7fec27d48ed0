using Berth.Core.Digests;
using Berth.Core.Names;

namespace Berth.Core.Caching;

/// <summary>
/// Keys of the mutable facts, and how long each kind may be believed when another instance sharing the store
/// changes it. This instance's own writes invalidate at once; the times bound what others' writes can leave stale.
/// </summary>
internal static class CacheKeys
{
    /// <summary>A link file (tag, revision, layer, referrer), keyed by its storage path.</summary>
    public static readonly TimeSpan LinkTimeToLive = TimeSpan.FromSeconds(2);

    /// <summary>A blob's existence and size; data only disappears by garbage collection or by hand.</summary>
    public static readonly TimeSpan BlobTimeToLive = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan TagListTimeToLive = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan CatalogTimeToLive = TimeSpan.FromSeconds(10);

    public const string Catalog = "catalog";

    /// <summary>Set for <see cref="CatalogTimeToLive"/> after each walk: while it is absent the snapshot is refreshed in the background.</summary>
    public const string CatalogFresh = "catalog-fresh";

    /// <summary>The longest a catalog snapshot is served at all; past this a listing waits for a new walk.</summary>
    public static readonly TimeSpan CatalogSnapshotLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Links are keyed by path, so a deleted directory invalidates by prefix.</summary>
    public static string Link(string path) => "link:" + path;

    public static string LinkDirectory(string directory) => "link:" + directory + "/";

    public static string Blob(Digest digest) => "blob:" + digest.Value;

    public static string TagList(RepositoryName repository) => "tags:" + repository.Value;

    /// <summary>The kind of fact a key names, for the cache's hit and miss counters (a fixed set, no allocation).</summary>
    public static string KindOf(string key) => key switch
    {
        _ when key.StartsWith("link:", StringComparison.Ordinal) => "link",
        _ when key.StartsWith("blob:", StringComparison.Ordinal) => "blob",
        _ when key.StartsWith("tags:", StringComparison.Ordinal) => "tags",
        Catalog or CatalogFresh => "catalog",
        _ => "other",
    };
}
