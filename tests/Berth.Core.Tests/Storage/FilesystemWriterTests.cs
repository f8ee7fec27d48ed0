using Berth.Core.Storage.Filesystem;

namespace Berth.Core.Tests.Storage;

/// <summary>
/// IStorageDriver.OpenWriterAsync: "Bytes become part of the object only on IStorageWriter.CommitAsync". Upload
/// sessions rely on it to leave a session exactly as it was when a chunk is refused.
/// </summary>
public sealed class FilesystemWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-fs-writer-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Bytes_written_but_not_committed_are_not_part_of_the_object()
    {
        var driver = new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = _root });
        await using (var writer = await driver.OpenWriterAsync("/upload/data", append: true))
        {
            await writer.WriteAsync("committed"u8.ToArray());
            await writer.CommitAsync();
        }

        await using (var writer = await driver.OpenWriterAsync("/upload/data", append: true))
        {
            await writer.WriteAsync(" abandoned"u8.ToArray());
        }

        Assert.Equal(9, (await driver.StatAsync("/upload/data"))!.Size);
        Assert.Equal("committed"u8.ToArray(), await driver.GetContentAsync("/upload/data"));
    }

    [Fact]
    public async Task An_append_writer_continues_after_the_committed_bytes()
    {
        var driver = new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = _root });
        foreach (var chunk in new[] { "one,"u8.ToArray(), "two"u8.ToArray() })
        {
            await using var writer = await driver.OpenWriterAsync("/upload/data", append: true);
            await writer.WriteAsync(chunk);
            await writer.CommitAsync();
        }

        Assert.Equal("one,two"u8.ToArray(), await driver.GetContentAsync("/upload/data"));
    }
}
