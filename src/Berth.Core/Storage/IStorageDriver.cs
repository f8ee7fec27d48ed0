namespace Berth.Core.Storage;

/// <summary>
/// What a storage backend must do for the registry: a namespace of slash-separated paths such as
/// <c>/docker/registry/v2/blobs/sha256/ab/ab…/data</c>, exactly as registry:2's storage drivers see it.
/// The registry layout itself lives in <see cref="RegistryPaths"/>; drivers know nothing about manifests or tags.
/// Every driver runs the same abstract driver test class.
/// </summary>
/// <remarks>
/// Paths always start with '/', contain no empty, '.' or '..' segments and are built from validated names only;
/// drivers still refuse anything that would leave their root.
/// Expected outcomes (a missing object) are return values; exceptions mean faults.
/// A driver throws <see cref="StorageUnavailableException"/> for faults that outlive its retries.
/// </remarks>
public interface IStorageDriver
{
    /// <summary>The registry:2 driver name: <c>filesystem</c>, <c>azure</c>, <c>inmemory</c>.</summary>
    string Name { get; }

    /// <summary>Reads a small object whole (link files, manifests, <c>startedat</c>); null when it does not exist.</summary>
    Task<byte[]?> GetContentAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Writes a small object atomically: a reader sees the old content or the new, never a mix or a prefix.</summary>
    Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens an object for reading. The stream is seekable and knows its Length, so range requests can be
    /// served from it; null when the object does not exist.
    /// </summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Size and time of an object or directory; null when neither exists.</summary>
    Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a writer for a resumable object (an upload's data). With <paramref name="append"/> the writer continues
    /// after the bytes that earlier writers committed; otherwise it starts empty. Bytes become part of the object only
    /// on <see cref="IStorageWriter.CommitAsync"/>: until then no read sees them, and a writer disposed without commit
    /// (or a process killed mid-write) leaves the object as its last commit left it, or absent. A commit of no bytes
    /// creates an empty object.
    /// </summary>
    Task<IStorageWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken = default);

    /// <summary>Names (not paths) of the direct children of a directory, sorted ordinally; null when it does not exist.</summary>
    Task<IReadOnlyList<string>?> ListAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves an object, replacing the destination atomically: the destination is either absent, the old object or
    /// the complete new one. Drivers move without passing the bytes through the registry where they can.
    /// </summary>
    Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object or a whole directory tree; false when nothing was there.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks an object as just used: its <see cref="StorageEntry.LastModified"/> becomes the store's now and its
    /// bytes stay as they are. Garbage collection keeps what was touched within its grace period. False when the
    /// object does not exist.
    /// </summary>
    Task<bool> TouchAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an object only if it was not modified (written or touched) after <paramref name="cutoff"/>, with the
    /// check and the delete as one step where the backend can do that (an Azure conditional request).
    /// </summary>
    Task<ConditionalDeleteResult> DeleteIfUnmodifiedSinceAsync(string path, DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    /// <summary>
    /// A short-lived URL that a client may be redirected to for a GET of the object, or null when the driver
    /// serves the bytes through the registry (filesystem, or redirects disabled).
    /// </summary>
    Task<Uri?> GetRedirectUrlAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>A cheap check that the backend answers; it passes on an empty store. Throws when it does not.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken = default);
}
