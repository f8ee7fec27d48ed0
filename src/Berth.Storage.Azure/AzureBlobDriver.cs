using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Azure;

/// <summary>
/// Stores the registry in one Azure Blob Storage container under registry:2's blob names (see
/// <see cref="BlobNameLayout"/>). Uploads are block blobs (<see cref="BlockBlobWriter"/>); moves are server-side
/// copies, so finishing an upload does not send its bytes through the registry.
/// </summary>
internal sealed class AzureBlobDriver : IStorageDriver
{
    private const int DeleteParallelism = 8;
    private const int MaxPendingCopyWaits = 50;
    private static readonly TimeSpan CopyPollInterval = TimeSpan.FromMilliseconds(200);

    private readonly BlobClients _clients;
    private readonly BlockBufferPool _buffers;
    private readonly BlobContainerClient _container;
    private readonly BlobSasSigner _signer;
    private readonly AzureDriverOptions _options;
    private readonly bool _redirectDisabled;
    private readonly ILogger _logger;
    private readonly FaultBoundary _faults;

    public AzureBlobDriver(
        BlobClients clients, BlobNameLayout layout, BlobSasSigner signer, AzureDriverOptions options, BlockBufferPool buffers, bool redirectDisabled,
        ILogger logger)
    {
        _clients = clients;
        _buffers = buffers;
        _container = clients.Container;
        Layout = layout;
        _signer = signer;
        _options = options;
        _redirectDisabled = redirectDisabled;
        _logger = logger;
        _faults = new FaultBoundary(options.Describe(), logger);
    }

    public string Name => "azure";

    public BlobNameLayout Layout { get; }

    public Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        var blob = Blob(path);
        return _faults.RunAsync("read", path, async () =>
        {
            try
            {
                return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }, cancellationToken);
    }

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var blob = Blob(path);
        return _faults.RunAsync("write", path, async () =>
        {
            try
            {
                // One Put Blob: readers see the old object or the new one.
                await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.InvalidBlobType)
            {
                // Early registry:2 versions wrote small files as append blobs, which Put Blob cannot replace.
                await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
                await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
            }
        }, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var blob = Blob(path);
        var contentAddressed = path.StartsWith(ContentAddressedPrefix, StringComparison.Ordinal);
        return _faults.RunAsync<Stream?>("open", path, async () => await BlobReadStream.OpenAsync(blob, pinVersion: !contentAddressed, cancellationToken), cancellationToken);
    }

    public Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        var prefix = Layout.DirectoryPrefix(path);
        return _faults.RunAsync("stat", path, async () =>
        {
            if (path.Length == 1)
            {
                var container = await _container.GetPropertiesAsync(cancellationToken: cancellationToken);
                return new StorageEntry(path, 0, container.Value.LastModified, IsDirectory: true);
            }

            try
            {
                var properties = (await Blob(path).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
                return new StorageEntry(path, properties.ContentLength, properties.LastModified, IsDirectory: false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                if (IsAlwaysFile(path))
                {
                    return null;
                }
            }

            var first = await FirstBlobAsync(prefix, cancellationToken);
            return first is null ? null : new StorageEntry(path, 0, first.Properties.LastModified ?? DateTimeOffset.UnixEpoch, IsDirectory: true);
        }, cancellationToken);
    }

    public Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        var blob = _clients.BlockBlob(Layout.BlobName(path));
        return OpenWriterCoreAsync(blob, path, append, cancellationToken);
    }

    public Task<IReadOnlyList<string>?> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        var prefix = Layout.DirectoryPrefix(path);
        return _faults.RunAsync("list", path, async () =>
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, delimiter: "/", prefix: prefix, cancellationToken: cancellationToken))
            {
                var name = item.IsPrefix ? item.Prefix[prefix.Length..^1] : item.Blob.Name[prefix.Length..];
                if (name.Length > 0)
                {
                    names.Add(name);
                }
            }

            return names.Count == 0 && path.Length > 1 ? null : (IReadOnlyList<string>?)[.. names];
        }, cancellationToken);
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        var sourceName = Layout.BlobName(sourcePath);
        var source = _clients.Blob(sourceName);
        var destination = Blob(destinationPath);
        return _faults.RunAsync("move", $"{sourcePath} to {destinationPath}", async () =>
        {
            ETag etag;
            try
            {
                etag = (await source.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new FileNotFoundException($"{sourcePath} does not exist", sourcePath);
            }

            await CopyAsync(sourceName, etag, destination, destinationPath, cancellationToken);
            await source.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var prefix = Layout.DirectoryPrefix(path);
        return _faults.RunAsync("delete", path, async () =>
        {
            var deleted = path.Length > 1 && !IsAlwaysDirectory(path) && (await Blob(path).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;
            var deletedBelow = 0;
            await Parallel.ForEachAsync(
                _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: prefix, cancellationToken: cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    if ((await _clients.Blob(item.Name).DeleteIfExistsAsync(cancellationToken: ct)).Value)
                    {
                        Interlocked.Increment(ref deletedBelow);
                    }
                });
            return deleted || deletedBelow > 0;
        }, cancellationToken);
    }

    public Task<bool> TouchAsync(string path, CancellationToken cancellationToken = default) =>
        _faults.RunAsync("touch", path, async () =>
        {
            try
            {
                // Any write to a blob's metadata moves its Last-Modified; the bytes and their ETag-checked readers are
                // unaffected apart from a read already in flight, which fails cleanly and is retried by the client.
                var touched = new Dictionary<string, string>(StringComparer.Ordinal) { [TouchedMetadataKey] = DateTimeOffset.UtcNow.ToString("O") };
                await Blob(path).SetMetadataAsync(touched, cancellationToken: cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }
        }, cancellationToken);

    public Task<ConditionalDeleteResult> DeleteIfUnmodifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        _faults.RunAsync("delete", path, async () =>
        {
            // Last-Modified has whole seconds: a touch within the cutoff's second must still count as after it.
            var seconds = new DateTimeOffset(cutoff.UtcTicks - cutoff.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(-1);
            try
            {
                await Blob(path).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfUnmodifiedSince = seconds }, cancellationToken);
                return ConditionalDeleteResult.Deleted;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return ConditionalDeleteResult.ModifiedSince;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return ConditionalDeleteResult.Missing;
            }
        }, cancellationToken);

    public Task<Uri?> GetRedirectUrlAsync(string path, CancellationToken cancellationToken = default)
    {
        var name = Layout.BlobName(path);
        if (_redirectDisabled)
        {
            return Task.FromResult<Uri?>(null);
        }

        return _faults.RunAsync("sign a URL for", path, () => _signer.SignReadAsync(name, _options.RedirectLifetime, cancellationToken), cancellationToken);
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken = default) =>
        _faults.RunAsync("reach", "the container", () => _container.GetPropertiesAsync(cancellationToken: cancellationToken), cancellationToken);

    private async Task<IStorageWriter> OpenWriterCoreAsync(BlockBlobClient blob, string path, bool append, CancellationToken cancellationToken) =>
        await BlockBlobWriter.OpenAsync(blob, path, append, _options, _buffers, _faults, _logger, cancellationToken);

    /// <summary>
    /// A server-side copy. Within one account Azure completes it as a metadata operation; a pending copy is waited for
    /// before the source goes, and a copy that fails leaves no partial destination behind.
    /// </summary>
    private async Task CopyAsync(string sourceName, ETag etag, BlobClient destination, string destinationPath, CancellationToken cancellationToken)
    {
        var sourceUri = await _signer.SignCopySourceAsync(sourceName, cancellationToken);
        var options = new BlobCopyFromUriOptions { SourceConditions = new BlobRequestConditions { IfMatch = etag } };
        for (var attempt = 0; ; attempt++)
        {
            CopyFromUriOperation copy;
            try
            {
                copy = await destination.StartCopyFromUriAsync(sourceUri, options, cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.PendingCopyOperation && attempt < MaxPendingCopyWaits)
            {
                // Another move to the same destination is still copying; the last one to finish wins, as with rename.
                AzureDriverLog.CopyPending(_logger, destinationPath);
                await Task.Delay(CopyPollInterval, cancellationToken);
                continue;
            }

            await WaitForCopyAsync(copy, destination, destinationPath, cancellationToken);
            return;
        }
    }

    private static async Task WaitForCopyAsync(CopyFromUriOperation copy, BlobClient destination, string destinationPath, CancellationToken cancellationToken)
    {
        copy.GetRawResponse().Headers.TryGetValue("x-ms-copy-status", out var status);
        while (status == "pending")
        {
            await Task.Delay(CopyPollInterval, cancellationToken);
            var properties = (await destination.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (properties.CopyId != copy.Id)
            {
                // A later move to the same destination replaced this copy; as with rename, the last one wins.
                return;
            }

            status = properties.CopyStatus switch
            {
                CopyStatus.Pending => "pending",
                CopyStatus.Success => "success",
                _ => properties.CopyStatusDescription ?? properties.CopyStatus.ToString(),
            };
        }

        if (status is not ("success" or null))
        {
            // A failed or aborted copy leaves a destination that is not the whole object: remove it.
            await destination.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw new IOException($"copy to {destinationPath} failed: {status}");
        }
    }

    private async Task<BlobItem?> FirstBlobAsync(string prefix, CancellationToken cancellationToken)
    {
        await foreach (var page in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: prefix, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            if (page.Values.Count > 0)
            {
                return page.Values[0];
            }
        }

        return null;
    }

    /// <summary>
    /// registry:2's data, link and startedat files under blobs/ or a repository's '_' folders (no repository name
    /// component starts with '_'): such a path is never a directory, so a missing one needs no listing to prove it.
    /// </summary>
    private static bool IsAlwaysFile(string path)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        return name is "data" or "link" or "startedat"
            && (path.StartsWith(ContentAddressedPrefix, StringComparison.Ordinal) || path.Contains("/_", StringComparison.Ordinal));
    }

    /// <summary>
    /// A folder of registry:2's repository layout that only ever holds files below it: an upload
    /// (<c>_uploads/&lt;id&gt;</c>), a layer link's folder (<c>_layers/&lt;alg&gt;/&lt;hex&gt;</c>), a revision
    /// (<c>_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;</c>) or a tag (<c>_manifests/tags/&lt;tag&gt;</c>). Deleting one
    /// needs no request for a blob of that exact name, which would always answer 404 (one per blob push's clean-up).
    /// </summary>
    private static bool IsAlwaysDirectory(string path)
    {
        if (!path.StartsWith(RepositoriesPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // No repository name component starts with '_', so the first such segment is the layout's.
        var segments = path[RepositoriesPrefix.Length..].Split('/');
        var marker = Array.FindIndex(segments, segment => segment.StartsWith('_'));
        if (marker < 1)
        {
            return false;
        }

        var below = segments.AsSpan(marker + 1);
        return segments[marker] switch
        {
            "_uploads" => below.Length == 1,
            "_layers" => below.Length == 2,
            "_manifests" => below is ["revisions", _, _] or ["tags", _],
            _ => false,
        } && !below.Contains(string.Empty);
    }

    private const string RepositoriesPrefix = "/docker/registry/v2/repositories/";

    private const string TouchedMetadataKey = "berthtouched";

    private const string ContentAddressedPrefix = "/docker/registry/v2/blobs/";

    private BlobClient Blob(string path) => _clients.Blob(Layout.BlobName(path));
}
