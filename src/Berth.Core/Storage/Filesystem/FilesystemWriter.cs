namespace Berth.Core.Storage.Filesystem;

/// <summary>
/// Writes a resumable object so that only committed bytes ever count. A new object is written to a temporary file
/// beside the target and renamed into place by its first commit. An existing object is extended in place, after
/// its committed length is recorded (<see cref="CommittedLength"/>): appending a chunk to a multi-GiB upload copies
/// nothing, and a writer disposed without commit, or a process killed mid-chunk, leaves bytes that no read counts
/// and that the next writer cuts off.
/// </summary>
internal sealed class FilesystemWriter : IStorageWriter
{
    private readonly string _target;
    private readonly FileStream _stream;

    // The temporary file until the first commit renames it to the target; null when writing the target in place.
    private string? _temporary;
    private long _committed;
    private bool _disposed;

    // Whether the record beside the target holds _committed, which must be so before a byte is written past it.
    private bool _recorded;

    private FilesystemWriter(string target, FileStream stream, string? temporary, long committed, bool recorded)
    {
        _target = target;
        _stream = stream;
        _temporary = temporary;
        _committed = committed;
        _recorded = recorded;
    }

    public long Size => _stream.Position;

    public static FilesystemWriter Open(string target, bool append)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (append && OpenExisting(target) is { } existing)
        {
            return existing;
        }

        var temporary = FilesystemDriver.TemporaryPathBeside(target);
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 0);
        return new FilesystemWriter(target, stream, temporary, committed: 0, recorded: false);
    }

    private static FilesystemWriter? OpenExisting(string target)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            var recorded = CommittedLength.Read(target);
            var committed = recorded is { } r ? Math.Min(r, stream.Length) : stream.Length;

            // What a killed process or a writer disposed without commit left after the committed bytes.
            if (stream.Length > committed)
            {
                stream.SetLength(committed);
            }

            stream.Position = committed;
            return new FilesystemWriter(target, stream, temporary: null, committed, recorded: recorded == committed);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    // Writes go to the page cache synchronously: cheaper than the thread-pool hop .NET makes of async file I/O.
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (data.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        if (_temporary is null && !_recorded)
        {
            CommittedLength.Write(_target, _committed);
            _recorded = true;
        }

        _stream.Write(data.Span);
        return ValueTask.CompletedTask;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var size = _stream.Position;
        if (_temporary is { } temporary)
        {
            // A record left by an object this one replaces must not cut the new one short.
            CommittedLength.Delete(_target);
            File.Move(temporary, _target, overwrite: true);
            _temporary = null;
            _recorded = false;
        }
        else if (size != _committed)
        {
            CommittedLength.Write(_target, size);
            _recorded = true;
        }

        _committed = size;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        try
        {
            if (_temporary is null && _stream.Position > _committed)
            {
                _stream.SetLength(_committed);
            }
        }
        finally
        {
            _stream.Dispose();
            if (_temporary is { } temporary)
            {
                FilesystemDriver.TryDeleteFile(temporary);
            }
        }

        return ValueTask.CompletedTask;
    }
}
