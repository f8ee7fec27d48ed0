using Berth.Core.Storage;

namespace Berth.Core.Tests.Infrastructure;

/// <summary>Passes every call to the real driver and records the paths written and deleted, in order.</summary>
internal sealed class RecordingStorageDriver(IStorageDriver inner) : IStorageDriver
{
    private readonly List<string> _writes = [];

    /// <summary>"put PATH", "move PATH" (the destination) and "delete PATH", in the order they happened.</summary>
    public IReadOnlyList<string> Writes
    {
        get
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }
    }

    public string Name => inner.Name;

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken = default) => inner.GetContentAsync(path, cancellationToken);

    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        await inner.PutContentAsync(path, content, cancellationToken);
        Record("put " + path);
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken = default) => inner.StatAsync(path, cancellationToken);

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default) => inner.OpenWriterAsync(path, append, cancellationToken);

    public Task<IReadOnlyList<string>?> ListAsync(string path, CancellationToken cancellationToken = default) => inner.ListAsync(path, cancellationToken);

    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        await inner.MoveAsync(sourcePath, destinationPath, cancellationToken);
        Record("move " + destinationPath);
    }

    public async Task<bool> TouchAsync(string path, CancellationToken cancellationToken = default)
    {
        var touched = await inner.TouchAsync(path, cancellationToken);
        Record("touch " + path);
        return touched;
    }

    public async Task<ConditionalDeleteResult> DeleteIfUnmodifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var result = await inner.DeleteIfUnmodifiedSinceAsync(path, cutoff, cancellationToken);
        Record("delete " + path);
        return result;
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var deleted = await inner.DeleteAsync(path, cancellationToken);
        Record("delete " + path);
        return deleted;
    }

    public Task<Uri?> GetRedirectUrlAsync(string path, CancellationToken cancellationToken = default) => inner.GetRedirectUrlAsync(path, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);

    private void Record(string entry)
    {
        lock (_writes)
        {
            _writes.Add(entry);
        }
    }
}
