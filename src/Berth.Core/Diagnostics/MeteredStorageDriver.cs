using System.Diagnostics;
using Berth.Core.Storage;

namespace Berth.Core.Diagnostics;

/// <summary>
/// Times every call into the storage driver and counts the ones that fail, by driver and operation. A cancelled call
/// (the client went away) is timed but is not a storage error. Streams and writers the driver returns are not
/// wrapped: their bytes show in the HTTP byte counters.
/// </summary>
internal sealed class MeteredStorageDriver(IStorageDriver inner, RegistryMetrics metrics) : IStorageDriver
{
    public string Name => inner.Name;

    /// <summary>The driver underneath, for code that needs the concrete one.</summary>
    public IStorageDriver Inner => inner;

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken = default) =>
        MeasureAsync("get_content", () => inner.GetContentAsync(path, cancellationToken), cancellationToken);

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        MeasureAsync("put_content", async () =>
        {
            await inner.PutContentAsync(path, content, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        MeasureAsync("open_read", () => inner.OpenReadAsync(path, cancellationToken), cancellationToken);

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken = default) =>
        MeasureAsync("stat", () => inner.StatAsync(path, cancellationToken), cancellationToken);

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default) =>
        MeasureAsync("open_writer", () => inner.OpenWriterAsync(path, append, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>?> ListAsync(string path, CancellationToken cancellationToken = default) =>
        MeasureAsync("list", () => inner.ListAsync(path, cancellationToken), cancellationToken);

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) =>
        MeasureAsync("move", async () =>
        {
            await inner.MoveAsync(sourcePath, destinationPath, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        MeasureAsync("delete", () => inner.DeleteAsync(path, cancellationToken), cancellationToken);

    public Task<bool> TouchAsync(string path, CancellationToken cancellationToken = default) =>
        MeasureAsync("touch", () => inner.TouchAsync(path, cancellationToken), cancellationToken);

    public Task<ConditionalDeleteResult> DeleteIfUnmodifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        MeasureAsync("delete_if_unmodified", () => inner.DeleteIfUnmodifiedSinceAsync(path, cutoff, cancellationToken), cancellationToken);

    public Task<Uri?> GetRedirectUrlAsync(string path, CancellationToken cancellationToken = default) =>
        MeasureAsync("redirect_url", () => inner.GetRedirectUrlAsync(path, cancellationToken), cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("health", async () =>
        {
            await inner.CheckHealthAsync(cancellationToken);
            return true;
        }, cancellationToken);

    private async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            return await call();
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            failed = true;
            throw;
        }
        finally
        {
            metrics.StorageOperation(inner.Name, operation, Stopwatch.GetElapsedTime(started), failed);
        }
    }
}
