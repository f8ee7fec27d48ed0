using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Blobs;
using Berth.Core.Collection;
using Berth.Core.Digests;
using Berth.Core.Names;
using Berth.Core.Storage;
using Berth.Core.Writes;

namespace Berth.Core.Uploads;

/// <summary>
/// Blob upload sessions, kept in storage as registry:2 keeps them (<c>_uploads/&lt;id&gt;/data</c> and
/// <c>startedat</c>), so a session survives a restart and can continue on another instance. Bytes reach the blob
/// store only by a move after their digest is verified.
/// </summary>
public sealed class UploadStore(IStorageDriver driver, BlobStore blobs, RegistryWriter writer, UploadHashStates hashStates, TimeProvider time, ReferenceGuard guard)
{
    /// <summary>
    /// Blobs up to this size that arrive whole with a known length (most configs and small layers) are verified in a
    /// pooled buffer and written with one atomic put: no data file, no move. On remote storage that is a handful of
    /// round trips instead of a dozen; memory stays bounded by this size per request.
    /// </summary>
    public const int SmallBlobLimit = 1024 * 1024;

    /// <summary>
    /// Opens a session. With <paramref name="openedBy"/> (an authenticated caller) the session is bound to that
    /// identity: knowing its id is not enough for anyone else to finish or cancel it.
    /// </summary>
    public async Task<UploadStatus> StartAsync(RepositoryName repository, string? openedBy = null, CancellationToken cancellationToken = default)
    {
        var id = UploadId.New();
        if (openedBy is not null)
        {
            await driver.PutContentAsync(RegistryPaths.UploadOpenedBy(repository, id), Encoding.UTF8.GetBytes(openedBy), cancellationToken);
        }

        var startedAt = time.GetUtcNow();
        // The data file appears with the first chunk; until then the session has received 0 bytes.
        await driver.PutContentAsync(
            RegistryPaths.UploadStartedAt(repository, id),
            Encoding.ASCII.GetBytes(startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)),
            cancellationToken);

        return new UploadStatus(id, 0, startedAt);
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may continue the session: the one who opened it, or anyone for a session
    /// opened without an identity. Without a caller (auth off) nothing is read, so this costs nothing then.
    /// </summary>
    public async Task<bool> BelongsToAsync(RepositoryName repository, string id, string? caller, CancellationToken cancellationToken = default)
    {
        if (caller is null)
        {
            return true;
        }

        var openedBy = await driver.GetContentAsync(RegistryPaths.UploadOpenedBy(repository, id), cancellationToken);
        return openedBy is null || openedBy.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(caller));
    }

    public async Task<UploadStatus?> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken = default)
    {
        var startedAt = await driver.GetContentAsync(RegistryPaths.UploadStartedAt(repository, id), cancellationToken);
        if (startedAt is null)
        {
            return null;
        }

        var data = await driver.StatAsync(RegistryPaths.UploadData(repository, id), cancellationToken);
        _ = DateTimeOffset.TryParse(Encoding.ASCII.GetString(startedAt), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started);
        return new UploadStatus(id, data?.Size ?? 0, started);
    }

    /// <summary>
    /// Appends a chunk. <paramref name="rangeStart"/> comes from Content-Range and must equal the bytes received so
    /// far; <paramref name="expectedLength"/> from Content-Length or Content-Range.
    /// </summary>
    public async Task<AppendOutcome> AppendAsync(
        RepositoryName repository, string id, Stream body, long? rangeStart, long? expectedLength, CancellationToken cancellationToken = default)
    {
        var status = await GetAsync(repository, id, cancellationToken);
        if (status is null)
        {
            return new AppendOutcome(AppendResult.UploadUnknown, 0);
        }

        if (rangeStart is { } start && start != status.Size)
        {
            return new AppendOutcome(AppendResult.RangeMismatch, status.Size);
        }

        var (size, committed) = await WriteAsync(repository, id, body, append: true, expectedLength, cancellationToken);
        return committed ? new AppendOutcome(AppendResult.Appended, size) : new AppendOutcome(AppendResult.LengthMismatch, size);
    }

    /// <summary>Verifies the session's bytes against <paramref name="expected"/>, then makes them the blob.</summary>
    public async Task<CompleteOutcome> CompleteAsync(RepositoryName repository, string id, Digest expected, CancellationToken cancellationToken = default)
    {
        var status = await GetAsync(repository, id, cancellationToken);
        if (status is null)
        {
            return new CompleteOutcome(CompleteResult.UploadUnknown);
        }

        if (status.Size == 0)
        {
            // No bytes arrived (the data file may not even exist): the blob is the empty blob, or a mismatch.
            var empty = await PutSmallAsync(repository, expected, Stream.Null, 0, cancellationToken);
            if (empty.Result == CompleteResult.Committed)
            {
                await CancelAsync(repository, id, cancellationToken);
            }

            return empty;
        }

        var actual = await DigestOfAsync(repository, id, expected.Algorithm, status.Size, cancellationToken);
        if (!actual.Equals(expected))
        {
            return new CompleteOutcome(CompleteResult.DigestMismatch, Size: status.Size);
        }

        var blob = await CommitAsync(repository, id, expected, status.Size, cancellationToken);
        await CancelAsync(repository, id, cancellationToken);
        return new CompleteOutcome(CompleteResult.Committed, blob, status.Size);
    }

    /// <summary>
    /// Completes an upload that received nothing yet with a small body of known length (PUT ?digest= carrying the
    /// whole blob). Null when the session already holds bytes: the caller then appends and completes as usual.
    /// </summary>
    public async Task<CompleteOutcome?> CompleteSmallAsync(
        RepositoryName repository, string id, Digest expected, Stream body, long length, CancellationToken cancellationToken = default)
    {
        if (length > SmallBlobLimit)
        {
            return null;
        }

        var status = await GetAsync(repository, id, cancellationToken);
        if (status is null)
        {
            return new CompleteOutcome(CompleteResult.UploadUnknown);
        }

        if (status.Size != 0)
        {
            return null;
        }

        var outcome = await PutSmallAsync(repository, expected, body, (int)length, cancellationToken);
        if (outcome.Result == CompleteResult.Committed)
        {
            await CancelAsync(repository, id, cancellationToken);
        }

        return outcome;
    }

    /// <summary>A whole blob in one request (POST ?digest= with a body): no session survives it either way.</summary>
    public async Task<CompleteOutcome> PutMonolithicAsync(
        RepositoryName repository, Digest expected, Stream body, long? expectedLength, CancellationToken cancellationToken = default)
    {
        if (expectedLength is { } small && small <= SmallBlobLimit)
        {
            return await PutSmallAsync(repository, expected, body, (int)small, cancellationToken);
        }

        var id = UploadId.New();
        try
        {
            var (size, committed) = await WriteAsync(repository, id, body, append: false, expectedLength, cancellationToken);
            if (!committed)
            {
                return new CompleteOutcome(CompleteResult.LengthMismatch, Size: size);
            }

            var actual = await DigestOfAsync(repository, id, expected.Algorithm, size, cancellationToken);
            if (!actual.Equals(expected))
            {
                return new CompleteOutcome(CompleteResult.DigestMismatch, Size: size);
            }

            return new CompleteOutcome(CompleteResult.Committed, await CommitAsync(repository, id, expected, size, cancellationToken), size);
        }
        finally
        {
            await CancelAsync(repository, id, CancellationToken.None);
        }
    }

    private async Task<CompleteOutcome> PutSmallAsync(RepositoryName repository, Digest expected, Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var received = await body.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken);

            // One byte more than announced means the body is longer than its Content-Length said.
            if (received != length || await body.ReadAsync(new byte[1], cancellationToken) != 0)
            {
                return new CompleteOutcome(CompleteResult.LengthMismatch, Size: received);
            }

            var content = buffer.AsMemory(0, length);
            if (!Digest.Compute(expected.Algorithm, content.Span).Equals(expected))
            {
                return new CompleteOutcome(CompleteResult.DigestMismatch, Size: length);
            }

            await using (await guard.ReferenceForWriteAsync([], expected, cancellationToken))
            {
                if (await writer.PutBlobAsync(repository, expected, content, cancellationToken) == BlobWriteOutcome.Created)
                {
                    guard.NoteWritten(expected);
                }
            }

            return new CompleteOutcome(CompleteResult.Committed, new BlobDescriptor(expected, length), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Links a blob another repository already has (POST ?mount=&amp;from=); null when it cannot.</summary>
    public async Task<BlobDescriptor?> MountAsync(RepositoryName repository, RepositoryName from, Digest digest, CancellationToken cancellationToken = default)
    {
        // A mount replaces an upload, so it is a decision to skip writing data: the store must still have it, and keep
        // it until the link is written. Only a blob the source links is held (restored from quarantine, touched).
        if (!await blobs.IsLinkedAsync(from, digest, cancellationToken))
        {
            return null;
        }

        await using var hold = await guard.ReferenceAsync([digest], cancellationToken);
        if (await blobs.StatInStoreAsync(from, digest, cancellationToken) is not { } source)
        {
            return null;
        }

        await writer.MountBlobAsync(repository, from, source, cancellationToken);
        return source;
    }

    public async Task<bool> CancelAsync(RepositoryName repository, string id, CancellationToken cancellationToken = default)
    {
        hashStates.Forget(id);
        return await driver.DeleteAsync(RegistryPaths.Upload(repository, id), cancellationToken);
    }

    /// <summary>
    /// Copies the body into the session's data. When <paramref name="expectedLength"/> is known and the body was not
    /// that long, nothing is committed: an error answer leaves the upload exactly as it was. Returns the committed
    /// size of the data and whether this chunk was committed.
    /// </summary>
    private async Task<(long Size, bool Committed)> WriteAsync(
        RepositoryName repository, string id, Stream body, bool append, long? expectedLength, CancellationToken cancellationToken)
    {
        await using var data = await driver.OpenWriterAsync(RegistryPaths.UploadData(repository, id), append, cancellationToken);
        var committedSize = data.Size;
        var hash = hashStates.Take(id, data.Size);
        try
        {
            var copied = await BodyCopier.CopyAsync(body, data, hash, cancellationToken);
            if (expectedLength is { } length && copied != length)
            {
                return (committedSize, false);
            }

            await data.CommitAsync(cancellationToken);
            if (hash is not null)
            {
                hashStates.Return(id, hash, data.Size);
                hash = null;
            }

            return (data.Size, true);
        }
        finally
        {
            // A hash that saw bytes which were not committed is wrong for the session; the next request rehashes.
            hash?.Dispose();
        }
    }

    private async Task<Digest> DigestOfAsync(RepositoryName repository, string id, DigestAlgorithm algorithm, long size, CancellationToken cancellationToken)
    {
        var running = algorithm == DigestAlgorithm.Sha256 ? hashStates.Take(id, size) : null;
        if (running is not null)
        {
            using (running)
            {
                return Digest.FromHash(algorithm, running.GetHashAndReset());
            }
        }

        // The running hash was lost (restart, another instance, sha512): hash the stored bytes instead.
        await using var stream = await driver.OpenReadAsync(RegistryPaths.UploadData(repository, id), cancellationToken)
            ?? throw new InvalidOperationException($"upload {id} has no data");
        using var hash = algorithm.CreateHash();
        return Digest.FromHash(algorithm, await BodyCopier.HashAsync(stream, hash, cancellationToken));
    }

    private async Task<BlobDescriptor> CommitAsync(RepositoryName repository, string id, Digest digest, long size, CancellationToken cancellationToken)
    {
        var blob = new BlobDescriptor(digest, size);
        await using var hold = await guard.ReferenceForWriteAsync([], digest, cancellationToken);
        if (await writer.CommitUploadAsync(repository, RegistryPaths.UploadData(repository, id), blob, cancellationToken) == BlobWriteOutcome.Created)
        {
            guard.NoteWritten(digest);
        }

        return blob;
    }
}
