namespace Berth.Core.Proxy;

/// <summary>
/// A blob on its way from an upstream. The fetch appends what it receives to a spool file; every client asking for
/// the blob meanwhile joins with its own <see cref="BlobFetchStream"/> reading behind the writer, so N clients cost
/// one upstream request and each gets bytes as they arrive. The last byte is held back from clients until the blob's
/// digest was verified and it was stored: a mismatch aborts their responses before they are complete.
/// </summary>
internal sealed class BlobFetch : IDisposable
{
    private readonly object _gate = new();
    private readonly string _spoolPath;
    private readonly FileStream _spool;
    private readonly TaskCompletionSource<Core.Errors.RegistryError?> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _progressGate = new();
    private Progress _progress = new(0, Succeeded: false, Failure: null, NewSignal());
    private bool _closed;

    public BlobFetch(string spoolDirectory)
    {
        Directory.CreateDirectory(spoolDirectory);
        _spoolPath = Path.Combine(spoolDirectory, Guid.NewGuid().ToString("N"));
        // Unbuffered, so what was appended is readable through the readers' own handles at once.
        _spool = new FileStream(_spoolPath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
    }

    /// <summary>Completes when the upstream answered: null with the blob coming, or the error to give clients.</summary>
    public Task<Core.Errors.RegistryError?> Headers => _headers.Task;

    /// <summary>The length the upstream announced, when it did.</summary>
    public long? Length { get; private set; }

    public long Written => Volatile.Read(ref _progress).Written;

    /// <summary>A reader from the first byte, or null when the fetch is over (the blob is in the store or failed).</summary>
    public BlobFetchStream? TryJoin()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            var file = new FileStream(_spoolPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
            return new BlobFetchStream(this, file);
        }
    }

    public void Announce(long? length)
    {
        Length = length;
        _headers.TrySetResult(null);
    }

    public void Refuse(Core.Errors.RegistryError error) => _headers.TrySetResult(error);

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _spool.WriteAsync(data, cancellationToken);
        var length = data.Length;
        Advance(progress => progress with { Written = progress.Written + length });
    }

    /// <summary>The blob is verified and stored: readers may deliver the last byte.</summary>
    public void Succeed() => Advance(progress => progress with { Succeeded = true });

    public void Fail(Exception failure)
    {
        _headers.TrySetException(failure);
        Advance(progress => progress with { Failure = failure });
    }

    /// <summary>Ends the fetch: no one joins any more, and the spool goes (readers keep their open handles).</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _spool.Dispose();
            File.Delete(_spoolPath);
        }
    }

    public void Dispose() => Close();

    /// <summary>What a reader may know now, and a task that completes on the next change.</summary>
    /// <remarks>
    /// One read of one immutable record. With the count and the flags in separate fields, a reader descheduled
    /// between reading the count and the success flag saw "succeeded" with a count from before the last append, ended
    /// its response short of its Content-Length, and the client's connection was reset (seen once in CI, under load).
    /// </remarks>
    internal (long Written, bool Succeeded, Exception? Failure, Task Changed) Snapshot()
    {
        var progress = Volatile.Read(ref _progress);
        return (progress.Written, progress.Succeeded, progress.Failure, progress.Changed.Task);
    }

    private void Advance(Func<Progress, Progress> change)
    {
        Progress previous;
        lock (_progressGate)
        {
            previous = _progress;
            Volatile.Write(ref _progress, change(previous) with { Changed = NewSignal() });
        }

        previous.Changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Progress(long Written, bool Succeeded, Exception? Failure, TaskCompletionSource Changed);
}
