using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Berth.Testing;

namespace Berth.Interop.Tests.Azure;

/// <summary>
/// A container in the emulator, addressed by exact blob name. The SDK drops a leading '/' from names given to
/// <see cref="BlobContainerClient.GetBlobClient"/>; registry:2 2.8 sent "container//docker/…", so names starting with
/// '/' are addressed by URL here, as Berth's own BlobClients does.
/// </summary>
internal sealed class EmulatorContainer
{
    // registry:2's azure writer appended at most 4 MiB a block.
    private const int AppendBlockSize = 4 * 1024 * 1024;
    private static readonly StorageSharedKeyCredential Key = new(Azurite.AccountName, Azurite.AccountKey);

    private EmulatorContainer(BlobContainerClient client) => Client = client;

    public BlobContainerClient Client { get; }

    public static EmulatorContainer Open(Azurite azurite, string name) =>
        new(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(name));

    public async Task<bool> ExistsAsync() => (await Client.ExistsAsync()).Value;

    public Task CreateAsync() => Client.CreateAsync();

    /// <summary>Every blob name in the container, sorted ordinally, leading '/' kept.</summary>
    public async Task<List<string>> NamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in Client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken: default))
        {
            names.Add(blob.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<byte[]> ReadAsync(string name) => (await Blob(name).DownloadContentAsync()).Value.Content.ToArray();

    /// <summary>One Put Blob, as registry:2 writes link files and other small content.</summary>
    public Task WriteBlockBlobAsync(string name, byte[] content) =>
        Blob(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true);

    /// <summary>An append blob written in 4 MiB blocks, as registry:2's azure writer leaves uploaded blob data.</summary>
    public async Task WriteAppendBlobAsync(string name, byte[] content)
    {
        var blob = name.StartsWith('/') ? new AppendBlobClient(UriOf(name), Key) : Client.GetAppendBlobClient(name);
        await blob.CreateAsync();
        for (var offset = 0; offset < content.Length; offset += AppendBlockSize)
        {
            using var block = new MemoryStream(content, offset, Math.Min(AppendBlockSize, content.Length - offset), writable: false);
            await blob.AppendBlockAsync(block);
        }
    }

    private BlobClient Blob(string name) => name.StartsWith('/') ? new BlobClient(UriOf(name), Key) : Client.GetBlobClient(name);

    private Uri UriOf(string name) => new($"{Client.Uri.AbsoluteUri.TrimEnd('/')}/{name}");
}
