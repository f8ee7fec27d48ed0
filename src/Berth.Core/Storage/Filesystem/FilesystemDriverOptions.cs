namespace Berth.Core.Storage.Filesystem;

public sealed class FilesystemDriverOptions
{
    /// <summary>registry:2's default for the filesystem driver.</summary>
    public const string DefaultRootDirectory = "/var/lib/registry";

    public string RootDirectory { get; init; } = DefaultRootDirectory;
}
