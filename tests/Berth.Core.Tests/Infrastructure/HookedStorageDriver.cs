using Berth.Core.Storage;

namespace Berth.Core.Tests.Infrastructure;

/// <summary>
/// Passes every call to the real driver, and runs a step of another actor (a push) once, just before the first call
/// that a condition picks: a way to force an interleaving at an exact point of a collector's or retention's pass.
/// </summary>
internal sealed class HookedStorageDriver(IStorageDriver inner) : IStorageDriver
{
    private Func<string, string, bool>? _when;
    private Func<Task>? _step;

    /// <summary>Runs <paramref name="step"/> once, before the first call (operation name, path) that <paramref name="when"/> picks.</summary>
    public void Before(Func<string, string, bool> when, Func<Task> step)
    {
        _when = when;
        _step = step;
    }

    public bool Fired { get; private set; }

    public string Name => inner.Name;

    public async Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        await HookAsync("get", path);
        return await inner.GetContentAsync(path, cancellationToken);
    }

    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        await HookAsync("put", path);
        await inner.PutContentAsync(path, content, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);

    public async Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        await HookAsync("stat", path);
        return await inner.StatAsync(path, cancellationToken);
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default) => inner.OpenWriterAsync(path, append, cancellationToken);

    public async Task<IReadOnlyList<string>?> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        await HookAsync("list", path);
        return await inner.ListAsync(path, cancellationToken);
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) => inner.MoveAsync(sourcePath, destinationPath, cancellationToken);

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        await HookAsync("delete", path);
        return await inner.DeleteAsync(path, cancellationToken);
    }

    public Task<bool> TouchAsync(string path, CancellationToken cancellationToken = default) => inner.TouchAsync(path, cancellationToken);

    public Task<ConditionalDeleteResult> DeleteIfUnmodifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        inner.DeleteIfUnmodifiedSinceAsync(path, cutoff, cancellationToken);

    public Task<Uri?> GetRedirectUrlAsync(string path, CancellationToken cancellationToken = default) => inner.GetRedirectUrlAsync(path, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);

    private async Task HookAsync(string operation, string path)
    {
        if (Fired || _when is null || _step is null || !_when(operation, path))
        {
            return;
        }

        Fired = true;
        await _step();
    }
}
