using System.Net;
using System.Net.Http.Headers;

namespace Berth.Bench.Content;

internal sealed class PooledBlob : IBlobPayload
{
    private readonly RandomPool _pool;

    private PooledBlob(RandomPool pool, long key, long size, string digest)
    {
        _pool = pool;
        Key = key;
        Size = size;
        Digest = digest;
    }

    public long Key { get; }

    public long Size { get; }

    public string Digest { get; }

    public static PooledBlob Create(RandomPool pool, long key, long size) => new(pool, key, size, pool.ComputeDigest(key, size));

    /// <summary>Digests of many blobs, hashed on all cores before the timed part of a workload starts.</summary>
    public static PooledBlob[] CreateMany(RandomPool pool, IReadOnlyList<(long Key, long Size)> specs, CancellationToken cancellationToken)
    {
        var blobs = new PooledBlob[specs.Count];
        Parallel.For(0, specs.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            blobs[i] = Create(pool, specs[i].Key, specs[i].Size));
        return blobs;
    }

    public HttpContent CreateContent(bool declareLength)
    {
        var content = new PooledBlobContent(this, declareLength);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private sealed class PooledBlobContent(PooledBlob blob, bool declareLength) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var slice in blob._pool.Slices(blob.Key, blob.Size))
                await stream.WriteAsync(slice, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = blob.Size;
            return declareLength;
        }
    }
}
