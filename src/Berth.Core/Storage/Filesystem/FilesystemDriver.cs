namespace Berth.Core.Storage.Filesystem;

/// <summary>
/// Stores objects as files under <c>rootdirectory</c>, byte for byte as registry:2's filesystem driver does.
/// Whole-object writes go to a temporary file beside the target and are renamed over it, so a crash at any moment
/// leaves the old object or the new one, never a prefix. Writers count only committed bytes (<see cref="FilesystemWriter"/>).
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
            byte[] content = [];
            var committed = CommittedLength.Of(full, () => (content = File.ReadAllBytes(full)).Length);
            return committed == content.Length ? content : content[..(int)committed];
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
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);

                // A length recorded for an object this one replaces must not cut the new content short.
                CommittedLength.Delete(target);
                ReplaceAtomically(target, content.Span);
                return Task.CompletedTask;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && attempt < 3)
            {
                // A concurrent delete of the directory (a tag deleted while it is pushed again) took the temporary
                // file with it: the put comes after that delete, so it is written again.
            }
        }
    }

    /// <summary>Writes a temporary file beside <paramref name="target"/> and renames it over the target.</summary>
    internal static void ReplaceAtomically(string target, ReadOnlySpan<byte> content)
    {
        var temporary = TemporaryPathBeside(target);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                stream.Write(content);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDeleteFile(temporary);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        try
        {
            var file = new InlineReadFileStream(full);
            try
            {
                // Measured after the open, so the limit is never older than the file it applies to; the stream is
                // capped even without a record, so a writer that starts after the open is never read.
                var committed = CommittedLength.Of(full, () => file.Length);
                return Task.FromResult<Stream?>(new CommittedPrefixStream(file, committed));
            }
            catch
            {
                file.Dispose();
                throw;
            }
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
            var size = CommittedLength.Of(full, () =>
            {
                file.Refresh();
                return file.Length;
            });
            return Task.FromResult<StorageEntry?>(new StorageEntry(path, size, file.LastWriteTimeUtc, IsDirectory: false));
        }

        var directory = new DirectoryInfo(full);
        return Task.FromResult(directory.Exists
            ? new StorageEntry(path, 0, directory.LastWriteTimeUtc, IsDirectory: true)
            : null);
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default) =>
        Task.FromResult<IStorageWriter>(FilesystemWriter.Open(FullPath(path), append));

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
                if (!entry.Name.StartsWith(HiddenPrefix, StringComparison.Ordinal))
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
        var source = FullPath(sourcePath);
        var destination = FullPath(destinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var recorded = CommittedLength.Read(source);
        if (recorded is { } committed)
        {
            // Only committed bytes move: cut off what a killed writer left after them.
            using var stream = new FileStream(source, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 0);
            if (stream.Length > committed)
            {
                stream.SetLength(committed);
            }
        }

        CommittedLength.Delete(destination);

        // rename(2) replaces the destination atomically on the same filesystem.
        File.Move(source, destination, overwrite: true);
        if (recorded is not null)
        {
            CommittedLength.Delete(source);
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        if (File.Exists(full))
        {
            File.Delete(full);
            CommittedLength.Delete(full);
            return Task.FromResult(true);
        }

        if (!Directory.Exists(full))
        {
            return Task.FromResult(false);
        }

        // Rename into the trash first so no reader ever sees a half-deleted tree under the real name, and a crash
        // mid-delete leaves nothing inside the registry:2 tree (registry:2 would list a leftover as a tag).
        var entry = NewTrashEntry();
        var doomed = Path.Combine(entry, "doomed");
        try
        {
            Directory.Move(full, doomed);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.Delete(entry);
            return Task.FromResult(false);
        }

        Directory.Delete(entry, recursive: true);
        return Task.FromResult(true);
    }

    public Task<bool> TouchAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        try
        {
            File.SetLastWriteTimeUtc(full, DateTime.UtcNow);
            return Task.FromResult(true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }
    }

    public Task<ConditionalDeleteResult> DeleteIfUnmodifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        if (!File.Exists(full))
        {
            return Task.FromResult(ConditionalDeleteResult.Missing);
        }

        if (File.GetLastWriteTimeUtc(full) > cutoff.UtcDateTime)
        {
            return Task.FromResult(ConditionalDeleteResult.ModifiedSince);
        }

        // The rename is the delete; the time is read again from the renamed file. A touch that landed before the
        // rename is seen there and the object goes back; a touch after it finds no object and reports it missing.
        var entry = NewTrashEntry();
        var doomed = Path.Combine(entry, "doomed");
        try
        {
            File.Move(full, doomed);
        }
        catch (FileNotFoundException)
        {
            Directory.Delete(entry);
            return Task.FromResult(ConditionalDeleteResult.Missing);
        }

        if (File.GetLastWriteTimeUtc(doomed) > cutoff.UtcDateTime)
        {
            File.Move(doomed, full, overwrite: true);
            Directory.Delete(entry);
            return Task.FromResult(ConditionalDeleteResult.ModifiedSince);
        }

        Directory.Delete(entry, recursive: true);
        CommittedLength.Delete(full);
        try
        {
            // Directories are implicit in the driver's namespace: one left empty would list as an object's parent.
            // Not recursive, so data written there since is never removed with it.
            Directory.Delete(Path.GetDirectoryName(full)!, recursive: false);
        }
        catch (IOException)
        {
        }

        return Task.FromResult(ConditionalDeleteResult.Deleted);
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

        // Whatever a crash left half-deleted is finished off now, but only entries old enough to be abandoned: another
        // process on the same store (a replica, the offline collector) may be in the middle of a delete, and a
        // conditional delete puts a touched blob back from its entry.
        var trash = new DirectoryInfo(Path.Combine(_root, TrashDirectory));
        if (trash.Exists)
        {
            foreach (var entry in trash.EnumerateFileSystemInfos())
            {
                if (entry.LastWriteTimeUtc < DateTime.UtcNow - AbandonedTrashAge)
                {
                    DeleteTrashEntry(entry);
                }
            }
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

    /// <summary>
    /// Names the driver keeps for itself (temporary files, committed-length records, the trash); listings skip them.
    /// No registry:2 path segment can start with it: repository components, tags and digests never start with '.'.
    /// </summary>
    internal const string HiddenPrefix = ".berth-";

    private const string TemporaryMarker = HiddenPrefix + "tmp-";

    // Outside docker/registry/v2, where registry:2 never looks, on the same filesystem so a rename is enough.
    private const string TrashDirectory = HiddenPrefix + "trash";

    /// <summary>A delete in flight takes seconds at most; an entry untouched this long belongs to a process that died.</summary>
    private static readonly TimeSpan AbandonedTrashAge = TimeSpan.FromHours(1);

    /// <summary>A fresh directory of the trash for one delete: its time says when the delete began, whatever it holds.</summary>
    private string NewTrashEntry() =>
        Directory.CreateDirectory(Path.Combine(_root, TrashDirectory, Guid.NewGuid().ToString("N"))).FullName;

    private static void DeleteTrashEntry(FileSystemInfo entry)
    {
        try
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process finished it first.
        }
    }

    internal static string TemporaryPathBeside(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $"{TemporaryMarker}{Path.GetFileName(target)}-{Guid.NewGuid():N}");

    internal static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
