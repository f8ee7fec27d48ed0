namespace Berth.Core.Storage;

/// <summary>Writes a resumable object; see <see cref="IStorageDriver.OpenWriterAsync"/>.</summary>
public interface IStorageWriter : IAsyncDisposable
{
    /// <summary>Bytes in the object so far: what earlier writers committed plus what this one has written.</summary>
    long Size { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Makes everything written so far part of the object, so a later append writer continues after it.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}
