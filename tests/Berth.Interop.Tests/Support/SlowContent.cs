using System.Net;

namespace Berth.Interop.Tests.Support;

/// <summary>A request body sent in chunks with a pause between them, as a slow link would, chunked (no length).</summary>
internal sealed class SlowContent(byte[] data, int chunkSize, TimeSpan pause, long signalAfter) : HttpContent
{
    private readonly TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once <c>signalAfter</c> bytes are on the wire.</summary>
    public Task Sent => _signal.Task;

    public long BytesSent { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < data.Length; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, data.Length - offset);
            await stream.WriteAsync(data.AsMemory(offset, length));
            await stream.FlushAsync();
            BytesSent += length;
            if (BytesSent >= signalAfter)
            {
                _signal.TrySetResult();
            }

            await Task.Delay(pause);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
