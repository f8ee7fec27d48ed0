using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Azure;

/// <summary>
/// Writes an upload as a block blob. Writes are coalesced in one buffer from <see cref="BlockBufferPool"/> and staged as
/// blocks of <see cref="AzureDriverOptions.BlockSize"/>; a commit stages what is buffered and commits the block list, so the
/// object only ever shows whole commits. The partial last block stays in the buffer and is staged again, larger,
/// at the next commit, so chunk size does not decide block count. An append writer continues from the committed
/// block list, which is how an upload resumes after a restart or on another instance.
/// </summary>
internal sealed class BlockBlobWriter : IStorageWriter
{
    private readonly BlockBlobClient _blob;
    private readonly BlockBufferPool _buffers;
    private readonly string _path;
    private readonly FaultBoundary _faults;
    private readonly List<string> _blockIds = [];
    private readonly string _writerTag = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    private byte[]? _buffer;
    private int _buffered;
    private long _bytesInBlocks;
    private int _sequence;

    private BlockBlobWriter(BlockBlobClient blob, string path, BlockBufferPool buffers, FaultBoundary faults)
    {
        _blob = blob;
        _buffers = buffers;
        _path = path;
        _faults = faults;
        _buffer = buffers.Rent();
        BlockSize = buffers.BufferSize;
    }

    public long Size => _bytesInBlocks + _buffered;

    private int BlockSize { get; }

    public static async Task<BlockBlobWriter> OpenAsync(
        BlockBlobClient blob, string path, bool append, AzureDriverOptions options, BlockBufferPool buffers, FaultBoundary faults, ILogger logger,
        CancellationToken cancellationToken)
    {
        var writer = new BlockBlobWriter(blob, path, buffers, faults);
        try
        {
            if (append)
            {
                await faults.RunAsync("resume the upload at", path, () => writer.ResumeAsync(options.CompactAfterBlocks, logger, cancellationToken), cancellationToken);
            }

            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(BlockBlobWriter));
        while (!data.IsEmpty)
        {
            var count = Math.Min(BlockSize - _buffered, data.Length);
            data.Span[..count].CopyTo(buffer.AsSpan(_buffered));
            _buffered += count;
            data = data[count..];
            if (_buffered == BlockSize)
            {
                var id = await _faults.RunAsync("write", _path, () => StageBufferAsync(cancellationToken), cancellationToken);
                _blockIds.Add(id);
                _bytesInBlocks += _buffered;
                _buffered = 0;
            }
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        return _faults.RunAsync("commit", _path, async () =>
        {
            var ids = _blockIds;
            if (_buffered > 0)
            {
                ids = [.. _blockIds, await StageBufferAsync(cancellationToken)];
            }

            await _blob.CommitBlockListAsync(ids, options: null, cancellationToken);
        }, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _buffers.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }

    private async Task ResumeAsync(int compactAfterBlocks, ILogger logger, CancellationToken cancellationToken)
    {
        BlockList list;
        try
        {
            list = (await _blob.GetBlockListAsync(BlockListTypes.Committed, snapshot: null, conditions: null, cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return;
        }

        var blocks = list.CommittedBlocks.ToList();
        var inBlocks = blocks.Sum(b => b.SizeLong);
        if (inBlocks != list.BlobContentLength)
        {
            // Written whole (Put Blob or a copy), so there are no blocks to build on: carry its bytes if they fit.
            if (list.BlobContentLength > BlockSize)
            {
                throw new NotSupportedException($"{_path} was not written in blocks and is too large to append to");
            }

            await DownloadIntoBufferAsync(0, (int)list.BlobContentLength, cancellationToken);
            return;
        }

        _blockIds.AddRange(blocks.Select(b => b.Name));
        _bytesInBlocks = inBlocks;
        if (blocks.Count >= compactAfterBlocks && blocks[^1].SizeLong < BlockSize)
        {
            var tail = blocks[^1].SizeLong;
            AzureDriverLog.FoldingTailBlock(logger, _path, tail, blocks.Count);
            _blockIds.RemoveAt(_blockIds.Count - 1);
            _bytesInBlocks -= tail;
            await DownloadIntoBufferAsync(_bytesInBlocks, (int)tail, cancellationToken);
        }
    }

    private async Task DownloadIntoBufferAsync(long offset, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        var options = new BlobDownloadOptions { Range = new HttpRange(offset, count) };
        using var download = (await _blob.DownloadStreamingAsync(options, cancellationToken)).Value;
        await download.Content.ReadExactlyAsync(_buffer.AsMemory(0, count), cancellationToken);
        _buffered = count;
    }

    private async Task<string> StageBufferAsync(CancellationToken cancellationToken)
    {
        // Every id this driver makes has the same length, as Azure requires of all blocks in one blob.
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(_writerTag + (_sequence++).ToString("D8", CultureInfo.InvariantCulture)));
        using var content = new MemoryStream(_buffer!, 0, _buffered, writable: false);
        await _blob.StageBlockAsync(id, content, options: null, cancellationToken);
        return id;
    }
}
