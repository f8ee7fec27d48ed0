using Berth.Bench.Content;

namespace Berth.Bench.Registry;

/// <summary>Pushes a whole image the way docker and skopeo do: each blob (HEAD first, upload if missing), then the manifest.</summary>
/// <remarks>Returns how many layer bytes were uploaded; layers the registry already had count nothing.</remarks>
internal static class ImagePusher
{
    public static async Task<long> PushAsync(RegistryClient client, string repository, string tag, ImageManifest image, bool chunked, CancellationToken cancellationToken)
    {
        long uploaded = 0;
        foreach (var layer in image.Layers)
        {
            if (await PushBlobAsync(client, repository, layer, chunked, cancellationToken))
                uploaded += layer.Size;
        }

        await PushBlobAsync(client, repository, image.Config, chunked: false, cancellationToken);
        await client.PutManifestAsync(repository, tag, image.Bytes, MediaTypes.OciManifest, cancellationToken);
        return uploaded;
    }

    /// <summary>As <see cref="PushAsync"/>, for timed pushes: a layer the registry already has means nothing was measured.</summary>
    public static async Task<long> PushNewAsync(RegistryClient client, string repository, string tag, ImageManifest image, bool chunked, CancellationToken cancellationToken)
    {
        var uploaded = await PushAsync(client, repository, tag, image, chunked, cancellationToken);
        var expected = image.Layers.Sum(l => l.Size);
        return uploaded == expected
            ? uploaded
            : throw new InvalidOperationException("the registry already had this layer: run against fresh storage, or pass another --seed");
    }

    private static async Task<bool> PushBlobAsync(RegistryClient client, string repository, IBlobPayload blob, bool chunked, CancellationToken cancellationToken)
    {
        if (await client.BlobExistsAsync(repository, blob.Digest, cancellationToken))
            return false;
        if (chunked)
            await client.PushChunkedAsync(repository, blob, cancellationToken);
        else
            await client.PushMonolithicAsync(repository, blob, cancellationToken);
        return true;
    }
}
