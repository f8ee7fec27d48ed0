namespace Berth.Server.Tests.Infrastructure;

/// <summary>
/// A storage root inside a private parent directory, so tests can prove that nothing a client sends ever lands
/// beside the root (<see cref="Parent"/> must only ever hold <see cref="Root"/>).
/// </summary>
public sealed class TemporaryStore : IDisposable
{
    public TemporaryStore()
    {
        Parent = Path.Combine(Path.GetTempPath(), $"berth-server-tests-{Guid.NewGuid():N}");
        Root = Path.Combine(Parent, "root");
        Directory.CreateDirectory(Root);
    }

    public string Parent { get; }

    public string Root { get; }

    /// <summary>Every file and directory under the parent that is not inside the root.</summary>
    public IReadOnlyList<string> EntriesOutsideRoot() =>
        Directory.EnumerateFileSystemEntries(Parent, "*", SearchOption.AllDirectories)
            .Where(p => p != Root && !p.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToList();

    /// <summary>The blob's data file as registry:2 lays it out; tests check it is absent after a refused upload.</summary>
    public string BlobDataPath(string digest)
    {
        var (algorithm, hex) = (digest[..digest.IndexOf(':', StringComparison.Ordinal)], digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        return Path.Combine(Root, "docker", "registry", "v2", "blobs", algorithm, hex[..2], hex, "data");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Parent, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
