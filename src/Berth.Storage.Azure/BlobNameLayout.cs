using Berth.Core.Storage;

namespace Berth.Storage.Azure;

/// <summary>
/// Maps storage paths to blob names the way the registry that wrote the container did. registry:2 2.8 used the path
/// as the name, leading '/' included (<c>/docker/registry/v2/…</c>, distribution#1247); 3.x drops the '/' and puts
/// <c>rootdirectory</c> in front (<c>root/docker/registry/v2/…</c>).
/// </summary>
internal sealed class BlobNameLayout
{
    /// <summary>The first segment of every registry path; its presence tells which form a container uses.</summary>
    public const string ProbePath = "/docker";

    private BlobNameLayout(string rootDirectory, bool leadingSlash)
    {
        LeadingSlash = leadingSlash;
        var root = rootDirectory.Length == 0 ? string.Empty : rootDirectory + "/";
        Prefix = leadingSlash ? "/" + root : root;
    }

    public bool LeadingSlash { get; }

    /// <summary>The blob-name prefix of the storage root "/": "", "root/", "/" or "/root/".</summary>
    public string Prefix { get; }

    public static BlobNameLayout Create(string rootDirectory, bool leadingSlash) => new(rootDirectory, leadingSlash);

    /// <summary>The blob name of an object; throws <see cref="ArgumentException"/> for an invalid path.</summary>
    public string BlobName(string path)
    {
        StoragePath.Ensure(path);
        return path.Length == 1
            ? throw new ArgumentException("'/' is a directory, not an object", nameof(path))
            : Prefix + path[1..];
    }

    /// <summary>The prefix every blob below a directory starts with, ending in '/' (or the root prefix).</summary>
    public string DirectoryPrefix(string path)
    {
        StoragePath.Ensure(path);
        return path.Length == 1 ? Prefix : Prefix + path[1..] + "/";
    }

    public override string ToString() => LeadingSlash ? $"registry:2 2.8 ('{Prefix}docker/…')" : $"registry:2 3.x ('{Prefix}docker/…')";
}
