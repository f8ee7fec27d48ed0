using Berth.Core.Storage;
using Berth.Core.Storage.Filesystem;
using Berth.Testing.Storage;

namespace Berth.Core.Tests.Storage;

public sealed class FilesystemDriverTests : StorageDriverTests, IDisposable
{
    private readonly List<string> _roots = [];

    protected override Task<IStorageDriver> CreateDriverAsync() =>
        Task.FromResult<IStorageDriver>(new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = NewRoot() }));

    [Fact]
    public async Task A_path_that_would_resolve_outside_the_root_is_refused_and_touches_nothing_outside()
    {
        var parent = Directory.CreateTempSubdirectory("berth-fs-parent-").FullName;
        _roots.Add(parent);
        var root = Path.Combine(parent, "root");
        Directory.CreateDirectory(root);
        var outside = Path.Combine(parent, "outside");
        await File.WriteAllTextAsync(outside, "secret");
        var driver = new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = root });

        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.GetContentAsync("/../outside"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.PutContentAsync("/../outside", "overwritten"u8.ToArray()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.DeleteAsync("/.."));
        Assert.Throws<ArgumentException>(() => driver.FullPath("/../root-sibling/x"));

        Assert.Equal("secret", await File.ReadAllTextAsync(outside));
        Assert.True(Directory.Exists(root));
    }

    [Fact]
    public async Task After_a_kill_mid_chunk_a_restarted_driver_counts_only_committed_bytes_and_appends_after_them()
    {
        var root = NewRoot();
        var path = "/docker/registry/v2/repositories/a/_uploads/u/data";
        var first = RandomBytes(100_000);
        var second = RandomBytes(50_000);
        await KillMidChunkAsync(root, path, first);

        var restarted = Restart(root);

        await AssertObjectAsync(restarted, path, first);
        await using (var writer = await restarted.OpenWriterAsync(path, append: true))
        {
            Assert.Equal(first.Length, writer.Size);
            await writer.WriteAsync(second);
            await writer.CommitAsync();
        }

        await AssertObjectAsync(restarted, path, [.. first, .. second]);
    }

    [Fact]
    public async Task After_a_kill_mid_chunk_a_move_takes_only_the_committed_bytes()
    {
        var root = NewRoot();
        var source = "/docker/registry/v2/repositories/a/_uploads/u/data";
        var destination = "/docker/registry/v2/blobs/sha256/ab/abcd/data";
        var first = RandomBytes(100_000);
        await KillMidChunkAsync(root, source, first);

        var restarted = Restart(root);
        await restarted.MoveAsync(source, destination);

        await AssertObjectAsync(restarted, destination, first);
        Assert.Equal(first.Length, new FileInfo(restarted.FullPath(destination)).Length);
        Assert.Equal(["data"], Directory.GetFiles(Path.GetDirectoryName(restarted.FullPath(destination))!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Writers_leave_no_temporary_file_behind_and_their_length_records_are_not_listed()
    {
        var root = NewRoot();
        var driver = Restart(root);
        var directory = "/docker/registry/v2/repositories/a/_uploads/u";
        await using (var writer = await driver.OpenWriterAsync($"{directory}/data", append: false))
        {
            await writer.WriteAsync(RandomBytes(10));
        }

        await driver.PutContentAsync($"{directory}/startedat", RandomBytes(5));
        await using (var writer = await driver.OpenWriterAsync($"{directory}/data", append: true))
        {
            await writer.WriteAsync(RandomBytes(10));
            await writer.CommitAsync();
            await writer.WriteAsync(RandomBytes(10));
            await writer.CommitAsync();
            await writer.WriteAsync(RandomBytes(10));
        }

        Assert.Equal(["data", "startedat"], await driver.ListAsync(directory));
        var onDisk = Directory.GetFiles(driver.FullPath(directory)).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal([".berth-length-data", "data", "startedat"], onDisk);
        Assert.Equal(20, new FileInfo(driver.FullPath($"{directory}/data")).Length);
    }

    /// <summary>
    /// Leaves the store as a SIGKILL during a PATCH does: <paramref name="committed"/> committed, half of the next chunk
    /// written after it, and the writer never disposed.
    /// </summary>
    private static async Task KillMidChunkAsync(string root, string path, byte[] committed)
    {
        var driver = Restart(root);
        await using (var writer = await driver.OpenWriterAsync(path, append: true))
        {
            await writer.WriteAsync(committed);
            await writer.CommitAsync();
        }

        var killed = await driver.OpenWriterAsync(path, append: true);
        await killed.WriteAsync(RandomBytes(30_000));
        Assert.Equal(committed.Length + 30_000, new FileInfo(driver.FullPath(path)).Length);
    }

    /// <summary>
    /// Every Berth process opening a store (a replica starting, a `garbage-collect --dry-run`) finishes deletes a crash
    /// left in the trash; one another live process is in the middle of is not its to finish: a collector's
    /// conditional delete puts a touched blob back from there, and must find it.
    /// </summary>
    [Fact]
    public async Task Opening_the_store_leaves_a_delete_another_process_has_in_flight_and_finishes_an_abandoned_one()
    {
        var root = NewRoot();
        var serving = Restart(root);
        var blob = "/docker/registry/v2/blobs/sha256/ab/abc/data";
        await serving.PutContentAsync(blob, "touched while the collector re-checks it"u8.ToArray());
        File.SetLastWriteTimeUtc(serving.FullPath(blob), DateTime.UtcNow.AddHours(-3));

        // The collector moved the blob to the trash for its re-check, and is about to put it back.
        var inFlight = await MoveIntoTrashAsADeleteDoes(serving, blob);
        var abandoned = await MoveIntoTrashAsADeleteDoes(serving, "/docker/registry/v2/blobs/sha256/cd/cde/data", ageHours: 3);

        Restart(root);

        Assert.True(File.Exists(inFlight), "opening the store deleted a blob another process had in its trash for a moment");
        Assert.False(File.Exists(abandoned), "a delete a crash left behind an hour ago was not finished");
    }

    /// <summary>Moves a file where the driver keeps it during a delete: a fresh entry of its own under the trash.</summary>
    private static async Task<string> MoveIntoTrashAsADeleteDoes(FilesystemDriver driver, string path, int ageHours = 0)
    {
        var full = driver.FullPath(path);
        if (!File.Exists(full))
        {
            await driver.PutContentAsync(path, "x"u8.ToArray());
        }

        var trash = Path.Combine(driver.RootDirectory, ".berth-trash");
        var entry = Directory.CreateDirectory(Path.Combine(trash, Guid.NewGuid().ToString("N")));
        var doomed = Path.Combine(entry.FullName, "data");
        File.Move(full, doomed);
        if (ageHours > 0)
        {
            Directory.SetLastWriteTimeUtc(entry.FullName, DateTime.UtcNow.AddHours(-ageHours));
        }

        return doomed;
    }

    private static FilesystemDriver Restart(string root)
    {
        var driver = new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = root });
        driver.EnsureWritable();
        return driver;
    }

    private string NewRoot()
    {
        var root = Directory.CreateTempSubdirectory("berth-fs-").FullName;
        _roots.Add(root);
        return root;
    }

    public void Dispose()
    {
        foreach (var root in _roots)
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
