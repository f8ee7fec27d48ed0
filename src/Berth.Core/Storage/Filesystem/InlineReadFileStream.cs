namespace Berth.Core.Storage.Filesystem;

/// <summary>
/// A read-only file stream whose async reads complete inline. On Linux .NET turns every async file read into a
/// thread-pool work item; serving a blob in 64 KiB reads from the page cache, that hop costs more than the read.
/// </summary>
internal sealed class InlineReadFileStream(string path)
    : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan)
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));
}
