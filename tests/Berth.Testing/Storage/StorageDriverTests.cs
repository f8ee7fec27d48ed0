using System.Security.Cryptography;
using System.Text;
using Berth.Core.Storage;
using Xunit;

namespace Berth.Testing.Storage;

/// <summary>
/// The contract every <see cref="IStorageDriver"/> keeps, run against each real driver by subclassing
/// (as registry:2's driver/testsuites does). Each test gets a fresh, empty store from <see cref="CreateDriverAsync"/>.
/// </summary>
public abstract class StorageDriverTests
{
    private const string Base = "/docker/registry/v2";

    /// <summary>A new driver over an empty store; the subclass owns and cleans up what it creates.</summary>
    protected abstract Task<IStorageDriver> CreateDriverAsync();

    [Fact]
    public async Task GetContent_of_a_missing_object_returns_null()
    {
        var driver = await CreateDriverAsync();

        Assert.Null(await driver.GetContentAsync($"{Base}/missing/link"));
    }

    [Fact]
    public async Task PutContent_then_GetContent_returns_the_same_bytes()
    {
        var driver = await CreateDriverAsync();
        var content = RandomBytes(1000);

        await driver.PutContentAsync($"{Base}/repositories/a/b/_layers/link", content);

        Assert.Equal(content, await driver.GetContentAsync($"{Base}/repositories/a/b/_layers/link"));
    }

    [Fact]
    public async Task PutContent_of_nothing_stores_an_empty_object_not_a_missing_one()
    {
        var driver = await CreateDriverAsync();

        await driver.PutContentAsync($"{Base}/empty", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(Array.Empty<byte>(), await driver.GetContentAsync($"{Base}/empty"));
        Assert.Equal(0, (await driver.StatAsync($"{Base}/empty"))?.Size);
    }

    [Fact]
    public async Task PutContent_replaces_the_existing_content_entirely()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/tags/latest/current/link";

        await driver.PutContentAsync(path, RandomBytes(5000));
        await driver.PutContentAsync(path, Encoding.UTF8.GetBytes("sha256:short"));

        Assert.Equal("sha256:short", Encoding.UTF8.GetString((await driver.GetContentAsync(path))!));
    }

    [Fact]
    public async Task OpenRead_of_a_missing_object_returns_null()
    {
        var driver = await CreateDriverAsync();

        Assert.Null(await driver.OpenReadAsync($"{Base}/blobs/sha256/ab/abcd/data"));
    }

    [Fact]
    public async Task OpenRead_is_seekable_knows_its_length_and_reads_from_an_offset()
    {
        var driver = await CreateDriverAsync();
        var content = RandomBytes(300_000);
        await driver.PutContentAsync($"{Base}/blob", content);

        await using var stream = await driver.OpenReadAsync($"{Base}/blob");

        Assert.NotNull(stream);
        Assert.True(stream.CanSeek);
        Assert.Equal(content.Length, stream.Length);
        stream.Seek(123_456, SeekOrigin.Begin);
        var rest = await ReadAllAsync(stream);
        Assert.Equal(content.AsSpan(123_456).ToArray(), rest);
    }

    [Fact]
    public async Task Stat_of_a_file_gives_its_size_and_time()
    {
        var driver = await CreateDriverAsync();
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        await driver.PutContentAsync($"{Base}/dir/file", RandomBytes(777));

        var entry = await driver.StatAsync($"{Base}/dir/file");

        Assert.NotNull(entry);
        Assert.False(entry.IsDirectory);
        Assert.Equal(777, entry.Size);
        Assert.Equal($"{Base}/dir/file", entry.Path);
        Assert.InRange(entry.LastModified, before, DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Stat_of_a_prefix_that_holds_objects_is_a_directory()
    {
        var driver = await CreateDriverAsync();
        await driver.PutContentAsync($"{Base}/repositories/app/_layers/sha256/aa/link", RandomBytes(10));

        var entry = await driver.StatAsync($"{Base}/repositories/app");

        Assert.NotNull(entry);
        Assert.True(entry.IsDirectory);
    }

    [Fact]
    public async Task Stat_of_a_missing_path_or_a_mere_name_prefix_returns_null()
    {
        var driver = await CreateDriverAsync();
        await driver.PutContentAsync($"{Base}/repositories/application/x", RandomBytes(10));

        Assert.Null(await driver.StatAsync($"{Base}/nothing/here"));
        Assert.Null(await driver.StatAsync($"{Base}/repositories/app"));
    }

    [Fact]
    public async Task Writer_commits_and_an_append_writer_continues_after_the_committed_bytes()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/repositories/a/_uploads/u1/data";
        var first = RandomBytes(1500);
        var second = RandomBytes(2500);

        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(first);
            Assert.Equal(first.Length, writer.Size);
            await writer.CommitAsync();
        }

        await using (var writer = await driver.OpenWriterAsync(path, append: true))
        {
            Assert.Equal(first.Length, writer.Size);
            await writer.WriteAsync(second);
            Assert.Equal(first.Length + second.Length, writer.Size);
            await writer.CommitAsync();
        }

        Assert.Equal(Concat(first, second), await driver.GetContentAsync(path));
        Assert.Equal(first.Length + second.Length, (await driver.StatAsync(path))?.Size);
    }

    [Fact]
    public async Task Writer_keeps_writing_after_a_commit_and_commits_again()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/upload/data";
        var first = RandomBytes(100);
        var second = RandomBytes(200);

        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            await writer.WriteAsync(first);
            await writer.CommitAsync();
            Assert.Equal(first, await driver.GetContentAsync(path));
            await writer.WriteAsync(second);
            await writer.CommitAsync();
        }

        Assert.Equal(Concat(first, second), await driver.GetContentAsync(path));
    }

    [Fact]
    public async Task Writer_without_append_starts_a_new_object()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/upload/data";
        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            await writer.WriteAsync(RandomBytes(4000));
            await writer.CommitAsync();
        }

        var replacement = RandomBytes(10);
        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(replacement);
            await writer.CommitAsync();
        }

        Assert.Equal(replacement, await driver.GetContentAsync(path));
    }

    [Fact]
    public async Task Many_small_appends_from_separate_writers_build_the_whole_object()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/repositories/a/_uploads/u2/data";
        var expected = new List<byte>();

        for (var i = 0; i < 60; i++)
        {
            // Sizes vary so chunk boundaries fall everywhere, as PATCH requests do.
            var chunk = RandomBytes(1 + (i * 997 % 5000));
            await using var writer = await driver.OpenWriterAsync(path, append: i > 0);
            Assert.Equal(expected.Count, writer.Size);
            await writer.WriteAsync(chunk);
            await writer.CommitAsync();
            expected.AddRange(chunk);
        }

        Assert.Equal(expected.ToArray(), await driver.GetContentAsync(path));
    }

    [Fact]
    public async Task Append_continues_after_a_commit_made_by_a_different_writer_instance()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/upload/data";
        var first = RandomBytes(3000);
        var second = RandomBytes(3000);

        await using var firstWriter = await driver.OpenWriterAsync(path, append: false);
        await firstWriter.WriteAsync(first);
        await firstWriter.CommitAsync();

        // As when the next PATCH of an upload lands on another instance that shares the storage.
        await using var secondWriter = await driver.OpenWriterAsync(path, append: true);
        Assert.Equal(first.Length, secondWriter.Size);
        await secondWriter.WriteAsync(second);
        await secondWriter.CommitAsync();

        Assert.Equal(Concat(first, second), await driver.GetContentAsync(path));
    }

    [Fact]
    public async Task Writer_disposed_without_commit_leaves_no_object()
    {
        var driver = await CreateDriverAsync();
        var directory = $"{Base}/repositories/a/_uploads/u3";

        await using (var writer = await driver.OpenWriterAsync($"{directory}/data", append: false))
        {
            await writer.WriteAsync(RandomBytes(1000));
        }

        await AssertMissingAsync(driver, $"{directory}/data");
        Assert.DoesNotContain("data", await driver.ListAsync(directory) ?? []);
    }

    [Fact]
    public async Task Append_writer_to_a_missing_object_disposed_without_commit_leaves_no_object()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/repositories/a/_uploads/u4/data";

        await using (var writer = await driver.OpenWriterAsync(path, append: true))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(RandomBytes(70_000));
        }

        await AssertMissingAsync(driver, path);
    }

    [Fact]
    public async Task Writer_disposed_without_commit_leaves_the_previously_committed_bytes()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/upload/data";
        var committed = RandomBytes(1500);
        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            await writer.WriteAsync(committed);
            await writer.CommitAsync();
        }

        await using (var writer = await driver.OpenWriterAsync(path, append: true))
        {
            await writer.WriteAsync(RandomBytes(1000));
        }

        await AssertObjectAsync(driver, path, committed);
    }

    [Fact]
    public async Task Bytes_written_after_a_commit_by_the_same_writer_do_not_count_unless_committed_again()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/upload/data";
        var committed = RandomBytes(3000);

        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            await writer.WriteAsync(committed);
            await writer.CommitAsync();
            await writer.WriteAsync(RandomBytes(5000));
        }

        await AssertObjectAsync(driver, path, committed);
    }

    [Fact]
    public async Task Append_after_an_uncommitted_writer_continues_from_the_committed_size()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/repositories/a/_uploads/u5/data";
        var first = RandomBytes(2000);
        var second = RandomBytes(3000);
        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            await writer.WriteAsync(first);
            await writer.CommitAsync();
        }

        // As a PATCH whose client went away mid-body.
        await using (var writer = await driver.OpenWriterAsync(path, append: true))
        {
            await writer.WriteAsync(RandomBytes(4000));
        }

        await using (var writer = await driver.OpenWriterAsync(path, append: true))
        {
            Assert.Equal(first.Length, writer.Size);
            await writer.WriteAsync(second);
            await writer.CommitAsync();
        }

        await AssertObjectAsync(driver, path, Concat(first, second));
    }

    [Fact]
    public async Task Readers_do_not_see_bytes_a_writer_has_not_committed()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/repositories/a/_uploads/u6/data";
        var first = RandomBytes(5000);
        var second = RandomBytes((5 << 20) + 7);
        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            await writer.WriteAsync(first);
            await writer.CommitAsync();
        }

        await using (var writer = await driver.OpenWriterAsync(path, append: true))
        {
            // Larger than any driver's buffer, so the bytes really reach storage before the commit.
            await writer.WriteAsync(second);

            await AssertObjectAsync(driver, path, first);

            await writer.CommitAsync();
            await AssertObjectAsync(driver, path, Concat(first, second));
        }
    }

    [Fact]
    public async Task A_reader_racing_a_writer_only_ever_sees_whole_commits()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/repositories/a/_uploads/u7/data";
        const int ChunkSize = 128 * 1024;
        var content = RandomBytes(20 * ChunkSize);
        var committedSizes = Enumerable.Range(0, 21).Select(i => (long)i * ChunkSize).ToHashSet();

        using var done = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var reads = 0;
        var wholeReads = 0;
        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var entry = await driver.StatAsync(path);
                Assert.Contains(entry?.Size ?? 0, committedSizes);
                await using (var stream = await driver.OpenReadAsync(path))
                {
                    byte[] bytes;
                    try
                    {
                        bytes = stream is null ? [] : await ReadAllAsync(stream);
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        // A driver may refuse a read whose object a commit changed under it (Azure pins the ETag);
                        // it must never return a mix or a prefix that was not committed.
                        Interlocked.Increment(ref reads);
                        continue;
                    }

                    Assert.Contains((long)bytes.Length, committedSizes);
                    Assert.True(content.AsSpan(0, bytes.Length).SequenceEqual(bytes), $"read {bytes.Length} bytes that differ from what was committed");
                }

                Interlocked.Increment(ref wholeReads);
                Interlocked.Increment(ref reads);
            }
        });

        for (var i = 0; i < 20; i++)
        {
            var chunk = content.AsMemory(i * ChunkSize, ChunkSize);
            var readsBefore = Volatile.Read(ref reads);
            await using (var abandoned = await driver.OpenWriterAsync(path, append: i > 0))
            {
                // Half a chunk, then the writer goes away, as a PATCH whose client disconnected.
                await abandoned.WriteAsync(chunk[..(ChunkSize / 2)]);
                await WaitForAsync(() => Volatile.Read(ref reads) > readsBefore + 1 || reader.IsCompleted, done.Token);
            }

            await using var writer = await driver.OpenWriterAsync(path, append: i > 0);
            Assert.Equal(i * ChunkSize, writer.Size);
            await writer.WriteAsync(chunk);
            await writer.CommitAsync();
        }

        done.Cancel();
        await reader;
        Assert.True(wholeReads >= 20, $"only {wholeReads} of {reads} reads completed");
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition() && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(1, CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Writer_committed_with_no_bytes_creates_an_empty_object_that_can_be_read_and_moved(bool append)
    {
        var driver = await CreateDriverAsync();
        var source = $"{Base}/repositories/a/_uploads/u8/data";
        var destination = $"{Base}/blobs/sha256/e3/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/data";

        await using (var writer = await driver.OpenWriterAsync(source, append))
        {
            Assert.Equal(0, writer.Size);
            await writer.CommitAsync();
        }

        await AssertObjectAsync(driver, source, []);
        await driver.MoveAsync(source, destination);

        await AssertObjectAsync(driver, destination, []);
        Assert.Null(await driver.StatAsync(source));
    }

    [Fact]
    public async Task A_large_object_written_in_pieces_reads_back_identical()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/upload/big";
        using var expected = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;

        await using (var writer = await driver.OpenWriterAsync(path, append: false))
        {
            for (var i = 0; i < 21; i++)
            {
                var piece = RandomBytes((1 << 20) + 123);
                expected.AppendData(piece);
                total += piece.Length;
                await writer.WriteAsync(piece);
            }

            await writer.CommitAsync();
            Assert.Equal(total, writer.Size);
        }

        await using var stream = await driver.OpenReadAsync(path);
        Assert.NotNull(stream);
        Assert.Equal(total, stream.Length);
        Assert.Equal(expected.GetHashAndReset(), await SHA256.HashDataAsync(stream));
    }

    [Fact]
    public async Task List_returns_the_sorted_names_of_direct_children_each_once()
    {
        var driver = await CreateDriverAsync();
        var root = $"{Base}/repositories";
        foreach (var path in new[] { "zeta/x", "alpha/_layers/a/link", "alpha/_layers/b/link", "Beta", "beta/deeper/still/file", "alpha2" })
        {
            await driver.PutContentAsync($"{root}/{path}", RandomBytes(3));
        }

        var names = await driver.ListAsync(root);

        Assert.Equal(["Beta", "alpha", "alpha2", "beta", "zeta"], names);
        Assert.Equal(["_layers"], await driver.ListAsync($"{root}/alpha"));
        Assert.Equal(["a", "b"], await driver.ListAsync($"{root}/alpha/_layers"));
    }

    [Fact]
    public async Task List_of_a_missing_directory_returns_null()
    {
        var driver = await CreateDriverAsync();
        await driver.PutContentAsync($"{Base}/repositories/application/x", RandomBytes(1));

        Assert.Null(await driver.ListAsync($"{Base}/repositories/app"));
        Assert.Null(await driver.ListAsync($"{Base}/nothing"));
    }

    [Fact]
    public async Task Move_replaces_the_destination_and_the_source_disappears()
    {
        var driver = await CreateDriverAsync();
        var source = $"{Base}/repositories/a/_uploads/u/data";
        var destination = $"{Base}/blobs/sha256/ab/abcdef/data";
        var content = RandomBytes(100_000);
        await driver.PutContentAsync(destination, RandomBytes(5));
        await driver.PutContentAsync(source, content);

        await driver.MoveAsync(source, destination);

        Assert.Equal(content, await driver.GetContentAsync(destination));
        Assert.Null(await driver.GetContentAsync(source));
        Assert.Null(await driver.StatAsync(source));
    }

    [Fact]
    public async Task Move_of_a_written_upload_to_a_new_directory_keeps_every_byte()
    {
        var driver = await CreateDriverAsync();
        var source = $"{Base}/repositories/a/_uploads/u/data";
        var destination = $"{Base}/blobs/sha256/cd/cdef/data";
        var first = RandomBytes(70_000);
        var second = RandomBytes(30_000);
        await using (var writer = await driver.OpenWriterAsync(source, append: false))
        {
            await writer.WriteAsync(first);
            await writer.CommitAsync();
        }

        await using (var writer = await driver.OpenWriterAsync(source, append: true))
        {
            await writer.WriteAsync(second);
            await writer.CommitAsync();
        }

        await driver.MoveAsync(source, destination);

        Assert.Equal(Concat(first, second), await driver.GetContentAsync(destination));
        Assert.Null(await driver.StatAsync(source));
    }

    [Fact]
    public async Task Move_of_a_missing_source_fails_and_leaves_the_destination_alone()
    {
        var driver = await CreateDriverAsync();
        var destination = $"{Base}/dest";
        await driver.PutContentAsync(destination, Encoding.UTF8.GetBytes("old"));

        await Assert.ThrowsAnyAsync<IOException>(() => driver.MoveAsync($"{Base}/no/such/source", destination));

        Assert.Equal("old", Encoding.UTF8.GetString((await driver.GetContentAsync(destination))!));
    }

    [Fact]
    public async Task Delete_of_a_file_removes_only_that_file()
    {
        var driver = await CreateDriverAsync();
        await driver.PutContentAsync($"{Base}/dir/a", RandomBytes(1));
        await driver.PutContentAsync($"{Base}/dir/b", RandomBytes(1));

        Assert.True(await driver.DeleteAsync($"{Base}/dir/a"));

        Assert.Null(await driver.GetContentAsync($"{Base}/dir/a"));
        Assert.Equal(["b"], await driver.ListAsync($"{Base}/dir"));
    }

    [Fact]
    public async Task Delete_of_a_directory_removes_the_whole_tree_but_not_a_sibling_with_a_longer_name()
    {
        var driver = await CreateDriverAsync();
        var repository = $"{Base}/repositories/app";
        foreach (var path in new[] { "_layers/sha256/aa/link", "_manifests/tags/v1/current/link", "_uploads/u/data" })
        {
            await driver.PutContentAsync($"{repository}/{path}", RandomBytes(4));
        }

        await driver.PutContentAsync($"{Base}/repositories/app2/keep", RandomBytes(4));

        Assert.True(await driver.DeleteAsync(repository));

        Assert.Null(await driver.StatAsync(repository));
        Assert.Null(await driver.ListAsync(repository));
        Assert.Equal(["app2"], await driver.ListAsync($"{Base}/repositories"));
        Assert.NotNull(await driver.GetContentAsync($"{Base}/repositories/app2/keep"));
    }

    [Fact]
    public async Task Delete_of_a_missing_path_returns_false()
    {
        var driver = await CreateDriverAsync();

        Assert.False(await driver.DeleteAsync($"{Base}/nothing/here"));
    }

    [Fact]
    public async Task Touch_moves_the_modification_time_and_keeps_the_bytes()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/blobs/sha256/ab/abcd/data";
        var content = RandomBytes(3000);
        await driver.PutContentAsync(path, content);
        var written = (await driver.StatAsync(path))!.LastModified;

        // Azure keeps Last-Modified in whole seconds.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        Assert.True(await driver.TouchAsync(path));

        var touched = await driver.StatAsync(path);
        Assert.True(touched!.LastModified > written, $"touched {touched.LastModified:O} is not after written {written:O}");
        Assert.Equal(content.Length, touched.Size);
        Assert.Equal(content, await driver.GetContentAsync(path));
    }

    [Fact]
    public async Task Touch_of_a_missing_object_returns_false_and_creates_nothing()
    {
        var driver = await CreateDriverAsync();

        Assert.False(await driver.TouchAsync($"{Base}/blobs/sha256/ab/abcd/data"));

        await AssertMissingAsync(driver, $"{Base}/blobs/sha256/ab/abcd/data");
    }

    [Fact]
    public async Task DeleteIfUnmodifiedSince_deletes_an_object_last_written_before_the_cutoff()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/blobs/sha256/ab/abcd/data";
        await driver.PutContentAsync(path, RandomBytes(10));
        var written = (await driver.StatAsync(path))!.LastModified;

        Assert.Equal(ConditionalDeleteResult.Deleted, await driver.DeleteIfUnmodifiedSinceAsync(path, written.AddSeconds(5)));

        await AssertMissingAsync(driver, path);
        Assert.Equal(ConditionalDeleteResult.Missing, await driver.DeleteIfUnmodifiedSinceAsync(path, written.AddSeconds(5)));
    }

    [Fact]
    public async Task DeleteIfUnmodifiedSince_keeps_an_object_touched_after_the_cutoff()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/blobs/sha256/ab/abcd/data";
        var content = RandomBytes(10);
        await driver.PutContentAsync(path, content);
        var cutoff = (await driver.StatAsync(path))!.LastModified;
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        Assert.True(await driver.TouchAsync(path));

        Assert.Equal(ConditionalDeleteResult.ModifiedSince, await driver.DeleteIfUnmodifiedSinceAsync(path, cutoff));

        Assert.Equal(content, await driver.GetContentAsync(path));
    }

    public static TheoryData<string> InvalidPaths => new()
    {
        string.Empty,
        "docker/registry/v2/x",
        "/docker/../../etc/passwd",
        "/docker/registry/..",
        "/docker//registry",
        "/docker/./registry",
        "/docker/registry/",
        "/docker\\registry",
    };

    [Theory]
    [MemberData(nameof(InvalidPaths))]
    public async Task Every_operation_refuses_an_invalid_path(string path)
    {
        var driver = await CreateDriverAsync();
        var valid = $"{Base}/valid";
        await driver.PutContentAsync(valid, RandomBytes(1));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.GetContentAsync(path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.PutContentAsync(path, RandomBytes(1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.OpenReadAsync(path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.StatAsync(path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.OpenWriterAsync(path, append: true));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.ListAsync(path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.MoveAsync(valid, path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.MoveAsync(path, valid));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.DeleteAsync(path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.TouchAsync(path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => driver.DeleteIfUnmodifiedSinceAsync(path, DateTimeOffset.UtcNow));

        Assert.NotNull(await driver.GetContentAsync(valid));
    }

    [Fact]
    public async Task Concurrent_PutContent_to_one_path_all_succeed_and_leave_one_whole_value()
    {
        var driver = await CreateDriverAsync();
        var path = $"{Base}/repositories/a/_manifests/tags/latest/current/link";
        var values = Enumerable.Range(0, 16).Select(_ => RandomBytes(64 * 1024)).ToArray();

        await Task.WhenAll(values.Select(v => Task.Run(() => driver.PutContentAsync(path, v))));

        var result = await driver.GetContentAsync(path);
        Assert.Contains(values, v => v.AsSpan().SequenceEqual(result));
    }

    [Fact]
    public async Task Concurrent_Moves_to_one_destination_all_succeed_and_leave_one_whole_value()
    {
        var driver = await CreateDriverAsync();
        var destination = $"{Base}/blobs/sha256/ee/eeee/data";
        var values = Enumerable.Range(0, 12).Select(_ => RandomBytes(200_000)).ToArray();

        await Task.WhenAll(values.Select((v, i) => Task.Run(async () =>
        {
            var source = $"{Base}/repositories/r{i}/_uploads/u/data";
            await driver.PutContentAsync(source, v);
            await driver.MoveAsync(source, destination);
        })));

        var result = await driver.GetContentAsync(destination);
        Assert.Contains(values, v => v.AsSpan().SequenceEqual(result));
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Null(await driver.StatAsync($"{Base}/repositories/r{i}/_uploads/u/data"));
        }
    }

    [Fact]
    public async Task CheckHealth_passes_on_an_empty_store()
    {
        var driver = await CreateDriverAsync();

        await driver.CheckHealthAsync();
    }

    /// <summary>What every read of an object says: its size, its bytes whole and from a stream of the right length.</summary>
    protected static async Task AssertObjectAsync(IStorageDriver driver, string path, byte[] expected)
    {
        var entry = await driver.StatAsync(path);
        Assert.NotNull(entry);
        Assert.False(entry.IsDirectory);
        Assert.Equal(expected.Length, entry.Size);
        Assert.Equal(expected, await driver.GetContentAsync(path));
        await using var stream = await driver.OpenReadAsync(path);
        Assert.NotNull(stream);
        Assert.Equal(expected.Length, stream.Length);
        Assert.Equal(expected, await ReadAllAsync(stream));
    }

    protected static async Task AssertMissingAsync(IStorageDriver driver, string path)
    {
        Assert.Null(await driver.StatAsync(path));
        Assert.Null(await driver.GetContentAsync(path));
        Assert.Null(await driver.OpenReadAsync(path));
    }

    protected static byte[] RandomBytes(int count) => RandomNumberGenerator.GetBytes(count);

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
