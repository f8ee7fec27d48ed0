using System.Collections.Concurrent;
using System.Globalization;

namespace Berth.Server.Notifications;

/// <summary>
/// One endpoint's pending events on disk: a file per event, named by a sequence number so delivery follows publishing
/// order across restarts. A file is written whole under a temporary name, flushed, then renamed into place, so a
/// crash leaves either the complete event or nothing a reader would take. Delivered files are deleted.
/// </summary>
internal sealed class NotificationOutbox : IDisposable
{
    private const string Extension = ".json";
    private const string TemporaryPrefix = ".pending-";

    private readonly ConcurrentQueue<long> _pending = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _nextSequence;

    public NotificationOutbox(string directory, int maxEvents)
    {
        Directory = directory;
        MaxEvents = maxEvents;
        System.IO.Directory.CreateDirectory(directory);
        foreach (var stale in System.IO.Directory.EnumerateFiles(directory, TemporaryPrefix + "*"))
        {
            // Left by a crash between write and rename: never announced, so nothing is lost by removing it.
            File.Delete(stale);
        }

        var sequences = System.IO.Directory.EnumerateFiles(directory, "*" + Extension)
            .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n >= 0)
            .Order()
            .ToList();
        foreach (var sequence in sequences)
        {
            _pending.Enqueue(sequence);
        }

        _nextSequence = sequences.Count > 0 ? sequences[^1] + 1 : 0;
    }

    public string Directory { get; }

    public int MaxEvents { get; }

    public int Count => _pending.Count;

    /// <summary>
    /// Writes one event body and queues it; false when the outbox already holds <see cref="MaxEvents"/>.
    /// Called by one writer at a time (the event dispatcher is sequential).
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> body)
    {
        if (_pending.Count >= MaxEvents)
        {
            return false;
        }

        var sequence = _nextSequence++;
        var temporary = Path.Combine(Directory, TemporaryPrefix + FileName(sequence));
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(body);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, PathOf(sequence));
        }
        catch
        {
            // A full or failing disk: the event is lost (the dispatcher logs it), the partial file must not linger.
            File.Delete(temporary);
            throw;
        }

        _pending.Enqueue(sequence);
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another add signalled first; one wake-up is enough.
            }
        }

        return true;
    }

    /// <summary>The oldest pending event, waiting until there is one.</summary>
    public async Task<(long Sequence, byte[] Body)> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_pending.TryPeek(out var sequence))
            {
                try
                {
                    return (sequence, await File.ReadAllBytesAsync(PathOf(sequence), cancellationToken));
                }
                catch (FileNotFoundException)
                {
                    // Removed by hand: nothing left to deliver for it.
                    _pending.TryDequeue(out _);
                    continue;
                }
            }

            await _signal.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Forgets the oldest event once its endpoint accepted it.</summary>
    public void Remove(long sequence)
    {
        File.Delete(PathOf(sequence));
        _pending.TryDequeue(out _);
    }

    public void Dispose() => _signal.Dispose();

    private string PathOf(long sequence) => Path.Combine(Directory, FileName(sequence));

    // Fixed width, so names sort as numbers do for anyone listing the folder.
    private static string FileName(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture) + Extension;
}
