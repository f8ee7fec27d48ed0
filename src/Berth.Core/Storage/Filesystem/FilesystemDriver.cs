namespace Berth.Core.Storage.Filesystem;

/// <summary>
/// Stores objects as files under <c>rootdirectory</c>, byte for byte as registry:2's filesystem driver does.
/// Whole-object writes go to a temporary file beside the target and are renamed over it, so a crash at any moment
/// leaves the old object or the new one, never a prefix.
/// </summary>
internal sealed class FilesystemDriver : IStorageDriver
{
    private readonly string _root;

    public FilesystemDriver(FilesystemDriverOptions options)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RootDirectory));
    }

    public string Name => "filesystem";

    public string RootDirectory => _root;

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReadAllBytesOrNull(path));

    private byte[]? ReadAllBytesOrNull(string path)
    {
        var full = FullPath(path);
        try
        {
            // Synchronous on purpose: on Linux .NET runs "async" file I/O as a thread-pool hop, which costs more
            // than reading a small file from the page cache.
            return File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(full))
        {
            return null;
        }
    }

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var target = FullPath(path);
        var temporary = TemporaryPathBeside(target);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                stream.Write(content.Span);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDeleteFile(temporary);
            throw;
        }

        return Task.CompletedTask;
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        try
        {
            Stream stream = new InlineReadFileStream(full);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(full))
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        var file = new FileInfo(full);
        if (file.Exists)
        {
            return Task.FromResult<StorageEntry?>(new StorageEntry(path, file.Length, file.LastWriteTimeUtc, IsDirectory: false));
        }

        var directory = new DirectoryInfo(full);
        return Task.FromResult(directory.Exists
            ? new StorageEntry(path, 0, directory.LastWriteTimeUtc, IsDirectory: true)
            : null);
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var stream = new FileStream(full, append ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, 0);
        if (append)
        {
            stream.Seek(0, SeekOrigin.End);
        }

        return Task.FromResult<IStorageWriter>(new FilesystemWriter(stream));
    }

    public Task<IReadOnlyList<string>?> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        if (!Directory.Exists(full))
        {
            return Task.FromResult<IReadOnlyList<string>?>(null);
        }

        var names = new List<string>();
        try
        {
            foreach (var entry in new DirectoryInfo(full).EnumerateFileSystemInfos())
            {
                if (!IsTemporaryName(entry.Name))
                {
                    names.Add(entry.Name);
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult<IReadOnlyList<string>?>(null);
        }

        names.Sort(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>?>(names);
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        var destination = FullPath(destinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);

        // rename(2) replaces the destination atomically on the same filesystem.
        File.Move(FullPath(sourcePath), destination, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        if (File.Exists(full))
        {
            File.Delete(full);
            return Task.FromResult(true);
        }

        if (!Directory.Exists(full))
        {
            return Task.FromResult(false);
        }

        // Rename into the trash first so no reader ever sees a half-deleted tree under the real name, and a crash
        // mid-delete leaves nothing inside the registry:2 tree (registry:2 would list a leftover as a tag).
        var trash = Path.Combine(_root, TrashDirectory);
        Directory.CreateDirectory(trash);
        var doomed = Path.Combine(trash, Guid.NewGuid().ToString("N"));
        try
        {
            Directory.Move(full, doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }

        Directory.Delete(doomed, recursive: true);
        return Task.FromResult(true);
    }

    public Task<Uri?> GetRedirectUrlAsync(string path, CancellationToken cancellationToken = default) => Task.FromResult<Uri?>(null);

    public Task CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            throw new StorageUnavailableException($"storage root '{_root}' does not exist");
        }

        return Task.CompletedTask;
    }

    /// <summary>Makes the root directory and proves it is writable, so a bad root fails start-up instead of the first push.</summary>
    public void EnsureWritable()
    {
        Directory.CreateDirectory(_root);

        // Whatever a crash left half-deleted is finished off now.
        var trash = Path.Combine(_root, TrashDirectory);
        if (Directory.Exists(trash))
        {
            Directory.Delete(trash, recursive: true);
        }

        var probe = Path.Combine(_root, $".berth-probe-{Guid.NewGuid():N}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
    }

    internal string FullPath(string path)
    {
        StoragePath.Ensure(path);
        var full = Path.GetFullPath(_root + path);

        // Defence in depth: names are validated upstream, but nothing may resolve outside the root.
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != _root)
        {
            throw new ArgumentException($"'{path}' resolves outside the storage root", nameof(path));
        }

        return full;
    }

    private const string TemporaryMarker = ".berth-tmp-";

    // Outside docker/registry/v2, where registry:2 never looks, on the same filesystem so a rename is enough.
    private const string TrashDirectory = ".berth-trash";

    private static string TemporaryPathBeside(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $"{TemporaryMarker}{Path.GetFileName(target)}-{Guid.NewGuid():N}");

    private static bool IsTemporaryName(string name) => name.StartsWith(TemporaryMarker, StringComparison.Ordinal);

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private sealed class FilesystemWriter(FileStream stream) : IStorageWriter
    {
        public long Size => stream.Position;

        // Writes go to the page cache synchronously: cheaper than the thread-pool hop .NET makes of async file I/O.
        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            stream.Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            stream.Flush();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
