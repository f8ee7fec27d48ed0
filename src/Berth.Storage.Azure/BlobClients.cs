using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace Berth.Storage.Azure;

/// <summary>
/// Clients for blobs by exact name. The SDK drops a leading '/' from names given to
/// <see cref="BlobContainerClient.GetBlobClient"/>, so registry:2 2.8's "/docker/…" names are addressed by URL
/// ("container//docker/…"), exactly as 2.8 sent them, with the same credential.
/// </summary>
internal sealed class BlobClients
{
    private readonly BlobClientOptions _options;
    private readonly StorageSharedKeyCredential? _sharedKey;
    private readonly TokenCredential? _token;

    public BlobClients(BlobContainerClient container, BlobClientOptions options, StorageSharedKeyCredential? sharedKey, TokenCredential? token)
    {
        Container = container;
        _options = options;
        _sharedKey = sharedKey;
        _token = token;
    }

    public BlobContainerClient Container { get; }

    /// <summary>The account key, when the driver has one; it signs SAS URLs directly.</summary>
    public StorageSharedKeyCredential? SharedKey => _sharedKey;

    public BlobClient Blob(string name) =>
        name.StartsWith('/') ? Create(UriOf(name), (u, k) => new BlobClient(u, k, _options), (u, t) => new BlobClient(u, t, _options), u => new BlobClient(u, _options))
            : Container.GetBlobClient(name);

    public BlockBlobClient BlockBlob(string name) =>
        name.StartsWith('/') ? Create(UriOf(name), (u, k) => new BlockBlobClient(u, k, _options), (u, t) => new BlockBlobClient(u, t, _options), u => new BlockBlobClient(u, _options))
            : Container.GetBlockBlobClient(name);

    /// <summary>The blob's URL with its name escaped segment by segment, a leading '/' kept as "//".</summary>
    public Uri UriOf(string name) =>
        new(Container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString)) + Container.Uri.Query);

    // Without a key or token the container URL carries a SAS from the connection string, and UriOf keeps it.
    private T Create<T>(Uri uri, Func<Uri, StorageSharedKeyCredential, T> withKey, Func<Uri, TokenCredential, T> withToken, Func<Uri, T> withUrlSas) =>
        _sharedKey is not null ? withKey(uri, _sharedKey)
        : _token is not null ? withToken(uri, _token)
        : withUrlSas(uri);
}
