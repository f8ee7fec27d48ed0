using Berth.Core.Blobs;
using Berth.Core.Digests;
using Berth.Core.Errors;
using Berth.Core.Storage;
using Berth.Core.Uploads;
using Berth.Core.Writes;

namespace Berth.Core.Proxy;

/// <summary>
/// The upstream behind <see cref="BlobStore"/> for proxied repositories: a miss starts one fetch per blob, which streams
/// to every waiting client while it is written to an upload's scratch data and hashed; only a blob whose digest and
/// length check out is committed and linked, through <see cref="RegistryWriter"/>.
/// </summary>
public sealed class ProxyBlobSource(IStorageDriver driver, UploadStore uploads, RegistryWriter writer, ProxyExpiry expiry) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BlobFetch> _inflight = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _spoolDirectory = Path.Combine(Path.GetTempPath(), "berth-proxy-" + Environment.ProcessId);

    /// <summary>
    /// Joins (or starts) the fetch of a blob the repository does not have. <see cref="ProxyBlob.InStore"/> when the
    /// blob was stored meanwhile and should be served from storage.
    /// </summary>
    public async Task<ProxyBlob> OpenAsync(ProxiedRepository repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var key = $"{repository.LocalName.Value}@{digest.Value}";
        BlobFetch? fetch;
        var started = false;
        lock (_gate)
        {
            if (!_inflight.TryGetValue(key, out fetch))
            {
                fetch = new BlobFetch(_spoolDirectory);
                _inflight[key] = fetch;
                started = true;
            }
        }

        if (started)
        {
            _ = Task.Run(() => RunAsync(repository, digest, fetch, key), CancellationToken.None);
        }

        var reader = fetch.TryJoin();
        if (reader is null)
        {
            return ProxyBlob.InStore;
        }

        try
        {
            if (await fetch.Headers.WaitAsync(cancellationToken) is { } error)
            {
                await reader.DisposeAsync();
                return new ProxyBlob(null, null, error);
            }
        }
        catch (UpstreamUnavailableException e)
        {
            await reader.DisposeAsync();
            return ProxyBlob.Failed(ErrorCode.Unavailable, e.Message);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }

        return new ProxyBlob(reader, fetch.Length, null);
    }

    /// <summary>A pull served from the cache: counted, and its time to live starts again.</summary>
    public void RecordHit(ProxiedRepository repository, Digest digest)
    {
        repository.Upstream.Metrics.Hit(repository.Upstream.Name);
        expiry.Touch(repository, digest, SchedulerEntry.Blob);
    }

    /// <summary>The size the upstream gives for a blob not cached yet (a HEAD, which fetches nothing).</summary>
    public async Task<ProxyBlob> StatAsync(ProxiedRepository repository, Digest digest, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await repository.Upstream.SendAsync(HttpMethod.Head, repository.RemoteName, "blobs/" + digest.Value, null, cancellationToken);
            return response.IsSuccessStatusCode && response.Content.Headers.ContentLength is { } length
                ? new ProxyBlob(null, length, null)
                : ProxyBlob.Failed(ErrorCode.BlobUnknown, $"blob unknown to upstream {repository.Upstream.Name}: {digest}");
        }
        catch (UpstreamUnavailableException e)
        {
            return ProxyBlob.Failed(ErrorCode.Unavailable, e.Message);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(ProxiedRepository repository, Digest digest, BlobFetch fetch, string key)
    {
        var upstream = repository.Upstream;
        var cancellationToken = _stopping.Token;
        string? uploadId = null;
        try
        {
            using var response = await upstream.SendAsync(HttpMethod.Get, repository.RemoteName, "blobs/" + digest.Value, null, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                fetch.Refuse(new RegistryError(ErrorCode.BlobUnknown, $"blob unknown to upstream {upstream.Name}: {digest}"));
                return;
            }

            var length = response.Content.Headers.ContentLength;
            fetch.Announce(length);
            uploadId = (await uploads.StartAsync(repository.LocalName, null, cancellationToken)).Id;
            var data = RegistryPaths.UploadData(repository.LocalName, uploadId);
            long total;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var hash = digest.Algorithm.CreateHash())
            {
                idle.CancelAfter(upstream.Options.Timeout);
                await using var storage = await driver.OpenWriterAsync(data, append: false, cancellationToken);
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(idle.Token);
                    total = await BodyCopier.CopyTeeAsync(body, storage, hash, async (chunk, token) =>
                    {
                        idle.CancelAfter(upstream.Options.Timeout);
                        if (length is { } announced && fetch.Written + chunk.Length > announced)
                        {
                            throw new InvalidDataException("more bytes than the announced length");
                        }

                        await fetch.AppendAsync(chunk, token);
                    }, idle.Token);
                }
                catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    upstream.RecordBodyFailure($"blob {digest} for {repository.RemoteName} was cut short: {e.Message}");
                    throw new UpstreamUnavailableException($"upstream {upstream.Name} cut blob {digest} short", e);
                }

                if (!Digest.FromHash(digest.Algorithm, hash.GetHashAndReset()).Equals(digest) || (length is { } expected && total != expected))
                {
                    ProxyLog.BlobRejected(upstream.Logger, upstream.Name, repository.LocalName.Value, digest.Value);
                    upstream.Metrics.Error(upstream.Name);
                    throw new InvalidDataException($"upstream {upstream.Name} sent bytes for {digest} that do not match it");
                }

                await storage.CommitAsync(cancellationToken);
            }

            await writer.CommitUploadAsync(repository.LocalName, data, new BlobDescriptor(digest, total), cancellationToken);
            upstream.Metrics.Miss(upstream.Name);
            upstream.Metrics.Fetched(upstream.Name, total);
            expiry.Touch(repository, digest, SchedulerEntry.Blob);
            fetch.Succeed();
        }
        catch (Exception e)
        {
            fetch.Fail(e);
        }
        finally
        {
            lock (_gate)
            {
                _inflight.Remove(key);
            }

            fetch.Close();
            if (uploadId is not null)
            {
                await DeleteScratchAsync(repository, uploadId);
            }
        }
    }

    private async Task DeleteScratchAsync(ProxiedRepository repository, string uploadId)
    {
        try
        {
            await driver.DeleteAsync(RegistryPaths.Upload(repository.LocalName, uploadId), CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or StorageUnavailableException)
        {
            // The upload purger removes scratch data that outlives its session.
        }
    }
}
