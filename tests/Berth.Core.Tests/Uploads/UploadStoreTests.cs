using Berth.Core.Blobs;
using Berth.Core.Digests;
using Berth.Core.Events;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;
using Berth.Core.Uploads;

namespace Berth.Core.Tests.Uploads;

public sealed class UploadStoreTests : IDisposable
{
    private static readonly Names.RepositoryName App = CoreRegistry.Repository("app");
    private readonly CoreRegistry _registry = CoreRegistry.Create();

    public void Dispose() => _registry.Dispose();

    private UploadStore Uploads => _registry.Uploads;

    [Fact]
    public async Task Chunks_appended_in_order_complete_as_one_verified_blob()
    {
        var upload = await Uploads.StartAsync(App);
        var first = "hello, "u8.ToArray();
        var second = "world"u8.ToArray();
        var digest = CoreRegistry.DigestOf([.. first, .. second]);

        Assert.Equal(new AppendOutcome(AppendResult.Appended, 7), await Uploads.AppendAsync(App, upload.Id, new MemoryStream(first), 0, first.Length));
        Assert.Equal(new AppendOutcome(AppendResult.Appended, 12), await Uploads.AppendAsync(App, upload.Id, new MemoryStream(second), 7, second.Length));
        Assert.Equal(12, (await Uploads.GetAsync(App, upload.Id))!.Size);

        var completed = await Uploads.CompleteAsync(App, upload.Id, digest);

        Assert.Equal(CompleteResult.Committed, completed.Result);
        Assert.Equal(new BlobDescriptor(digest, 12), completed.Blob);
        Assert.Equal("hello, world"u8.ToArray(), await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(digest))));
        Assert.Equal(new BlobDescriptor(digest, 12), await _registry.Blobs.StatAsync(App, digest));
        Assert.Null(await Uploads.GetAsync(App, upload.Id));
        Assert.False(Directory.Exists(_registry.FileOf(RegistryPaths.Upload(App, upload.Id))));
        Assert.True(Assert.IsType<BlobCommitted>(Assert.Single(_registry.Events.Events)).Created);
    }

    [Fact]
    public async Task A_session_continued_on_another_instance_is_verified_by_rehashing_its_data()
    {
        using var replica = _registry.Replica();
        var upload = await Uploads.StartAsync(App);
        await Uploads.AppendAsync(App, upload.Id, new MemoryStream("part one;"u8.ToArray()), 0, 9);
        await replica.Uploads.AppendAsync(App, upload.Id, new MemoryStream("part two"u8.ToArray()), 9, 8);

        var completed = await replica.Uploads.CompleteAsync(App, upload.Id, CoreRegistry.DigestOf("part one;part two"u8.ToArray()));

        Assert.Equal(CompleteResult.Committed, completed.Result);
        Assert.Equal(17, completed.Size);
    }

    [Fact]
    public async Task A_chunk_out_of_order_is_refused_and_leaves_the_session_as_it_was()
    {
        var upload = await Uploads.StartAsync(App);
        await Uploads.AppendAsync(App, upload.Id, new MemoryStream("abc"u8.ToArray()), 0, 3);

        Assert.Equal(new AppendOutcome(AppendResult.RangeMismatch, 3), await Uploads.AppendAsync(App, upload.Id, new MemoryStream("def"u8.ToArray()), 5, 3));
        Assert.Equal(new AppendOutcome(AppendResult.RangeMismatch, 3), await Uploads.AppendAsync(App, upload.Id, new MemoryStream("def"u8.ToArray()), 0, 3));

        Assert.Equal(3, (await Uploads.GetAsync(App, upload.Id))!.Size);
        Assert.Equal(CompleteResult.Committed, (await Uploads.CompleteAsync(App, upload.Id, CoreRegistry.DigestOf("abc"u8.ToArray()))).Result);
    }

    [Fact]
    public async Task A_first_chunk_shorter_than_its_length_is_not_committed()
    {
        var upload = await Uploads.StartAsync(App);

        var outcome = await Uploads.AppendAsync(App, upload.Id, new MemoryStream("short"u8.ToArray()), 0, expectedLength: 10);

        Assert.Equal(new AppendOutcome(AppendResult.LengthMismatch, 0), outcome);
        Assert.Equal(0, (await Uploads.GetAsync(App, upload.Id))!.Size);
    }

    [Fact]
    public async Task A_later_chunk_whose_length_disagrees_is_not_committed_and_the_upload_continues_as_it_was()
    {
        var upload = await Uploads.StartAsync(App);
        await Uploads.AppendAsync(App, upload.Id, new MemoryStream("good;"u8.ToArray()), 0, 5);

        var shorter = await Uploads.AppendAsync(App, upload.Id, new MemoryStream("bad"u8.ToArray()), 5, expectedLength: 10);
        var longer = await Uploads.AppendAsync(App, upload.Id, new MemoryStream("far too long"u8.ToArray()), 5, expectedLength: 4);

        Assert.Equal(new AppendOutcome(AppendResult.LengthMismatch, 5), shorter);
        Assert.Equal(new AppendOutcome(AppendResult.LengthMismatch, 5), longer);
        Assert.Equal(5, (await Uploads.GetAsync(App, upload.Id))!.Size);
        Assert.Equal(AppendResult.Appended, (await Uploads.AppendAsync(App, upload.Id, new MemoryStream("more"u8.ToArray()), 5, 4)).Result);
        var completed = await Uploads.CompleteAsync(App, upload.Id, CoreRegistry.DigestOf("good;more"u8.ToArray()));
        Assert.Equal(CompleteResult.Committed, completed.Result);
        Assert.Equal("good;more"u8.ToArray(), await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(completed.Blob!.Digest))));
    }

    [Fact]
    public async Task An_upload_that_received_nothing_completes_as_the_empty_blob()
    {
        var empty = CoreRegistry.DigestOf([]);
        var upload = await Uploads.StartAsync(App);

        var completed = await Uploads.CompleteAsync(App, upload.Id, empty);

        Assert.Equal(CompleteResult.Committed, completed.Result);
        Assert.Equal(new BlobDescriptor(empty, 0), completed.Blob);
        Assert.Empty(await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(empty))));
        Assert.Equal(new BlobDescriptor(empty, 0), await _registry.Blobs.StatAsync(App, empty));
        Assert.Null(await Uploads.GetAsync(App, upload.Id));
    }

    [Fact]
    public async Task An_upload_that_received_nothing_does_not_complete_as_another_digest()
    {
        var upload = await Uploads.StartAsync(App);
        var other = CoreRegistry.DigestOf("x"u8.ToArray());

        Assert.Equal(CompleteResult.DigestMismatch, (await Uploads.CompleteAsync(App, upload.Id, other)).Result);
        Assert.Null(await _registry.Blobs.StatDataInStoreAsync(other));
        Assert.NotNull(await Uploads.GetAsync(App, upload.Id));
    }

    [Fact]
    public async Task A_digest_mismatch_writes_no_blob_and_keeps_the_session()
    {
        var upload = await Uploads.StartAsync(App);
        await Uploads.AppendAsync(App, upload.Id, new MemoryStream("actual"u8.ToArray()), 0, 6);
        var claimed = CoreRegistry.DigestOf("claimed"u8.ToArray());

        var outcome = await Uploads.CompleteAsync(App, upload.Id, claimed);

        Assert.Equal(CompleteResult.DigestMismatch, outcome.Result);
        Assert.Null(await _registry.Blobs.StatDataInStoreAsync(claimed));
        Assert.Null(await _registry.Blobs.StatDataInStoreAsync(CoreRegistry.DigestOf("actual"u8.ToArray())));
        Assert.Equal(6, (await Uploads.GetAsync(App, upload.Id))!.Size);
        Assert.Empty(_registry.Events.Events);
    }

    [Fact]
    public async Task An_unknown_session_is_reported_as_unknown()
    {
        var id = Names.UploadId.New();
        var digest = CoreRegistry.DigestOf([]);

        Assert.Null(await Uploads.GetAsync(App, id));
        Assert.Equal(AppendResult.UploadUnknown, (await Uploads.AppendAsync(App, id, new MemoryStream([1]), 0, 1)).Result);
        Assert.Equal(CompleteResult.UploadUnknown, (await Uploads.CompleteAsync(App, id, digest)).Result);
        Assert.False(Directory.Exists(_registry.FileOf(RegistryPaths.Upload(App, id))));
    }

    [Fact]
    public async Task A_session_opened_by_a_user_belongs_to_that_user_only()
    {
        var upload = await Uploads.StartAsync(App, openedBy: "alice");

        Assert.True(await Uploads.BelongsToAsync(App, upload.Id, "alice"));
        Assert.False(await Uploads.BelongsToAsync(App, upload.Id, "bob"));
        Assert.False(await Uploads.BelongsToAsync(App, upload.Id, "Alice"));
        Assert.False(await Uploads.BelongsToAsync(App, upload.Id, "alice "));
        Assert.False(await Uploads.BelongsToAsync(App, upload.Id, string.Empty));
    }

    [Fact]
    public async Task A_session_opened_without_an_identity_may_be_continued_by_anyone()
    {
        var upload = await Uploads.StartAsync(App);

        Assert.True(await Uploads.BelongsToAsync(App, upload.Id, "alice"));
        Assert.True(await Uploads.BelongsToAsync(App, upload.Id, caller: null));
    }

    [Fact]
    public async Task A_session_records_when_it_started_on_the_registry_clock()
    {
        var upload = await Uploads.StartAsync(App);

        Assert.Equal(_registry.Time.GetUtcNow(), upload.StartedAt);
        Assert.Equal(upload.StartedAt, (await Uploads.GetAsync(App, upload.Id))!.StartedAt);
    }

    [Fact]
    public async Task A_small_monolithic_blob_is_verified_and_written_in_one_put()
    {
        var content = "monolithic"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);

        Assert.Equal(CompleteResult.LengthMismatch, (await Uploads.PutMonolithicAsync(App, digest, new MemoryStream(content), content.Length + 1)).Result);
        Assert.Equal(CompleteResult.DigestMismatch, (await Uploads.PutMonolithicAsync(App, CoreRegistry.DigestOf([]), new MemoryStream(content), content.Length)).Result);
        Assert.Null(await _registry.Blobs.StatDataInStoreAsync(digest));

        Assert.Equal(CompleteResult.Committed, (await Uploads.PutMonolithicAsync(App, digest, new MemoryStream(content), content.Length)).Result);
        Assert.Equal(content, await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(digest))));
        Assert.Empty(await _registry.Driver.ListAsync(RegistryPaths.Uploads(App)) ?? []);
    }

    [Fact]
    public async Task A_monolithic_blob_of_unknown_length_is_streamed_through_a_session_that_does_not_survive()
    {
        var content = new byte[UploadStore.SmallBlobLimit + 10];
        Random.Shared.NextBytes(content);
        var digest = CoreRegistry.DigestOf(content);

        var outcome = await Uploads.PutMonolithicAsync(App, digest, new MemoryStream(content), expectedLength: null);

        Assert.Equal(CompleteResult.Committed, outcome.Result);
        Assert.Equal(new BlobDescriptor(digest, content.Length), await _registry.Blobs.StatAsync(App, digest));
        Assert.Empty(await _registry.Driver.ListAsync(RegistryPaths.Uploads(App)) ?? []);
    }

    [Fact]
    public async Task Completing_an_upload_for_a_blob_that_exists_reports_it_was_not_created()
    {
        var content = "twice"u8.ToArray();
        var digest = CoreRegistry.DigestOf(content);
        foreach (var _ in new[] { 1, 2 })
        {
            var upload = await Uploads.StartAsync(App);
            await Uploads.AppendAsync(App, upload.Id, new MemoryStream(content), 0, content.Length);
            Assert.Equal(CompleteResult.Committed, (await Uploads.CompleteAsync(App, upload.Id, digest)).Result);
        }

        Assert.Equal([true, false], _registry.Events.Events.OfType<BlobCommitted>().Select(e => e.Created));
    }

    [Fact]
    public async Task A_sha512_upload_is_verified_against_its_own_algorithm()
    {
        var content = "sha512 bytes"u8.ToArray();
        var digest = Digest.Compute(DigestAlgorithm.Sha512, content);
        var upload = await Uploads.StartAsync(App);
        await Uploads.AppendAsync(App, upload.Id, new MemoryStream(content), 0, content.Length);

        Assert.Equal(CompleteResult.Committed, (await Uploads.CompleteAsync(App, upload.Id, digest)).Result);
        Assert.Equal(content, await File.ReadAllBytesAsync(_registry.FileOf(RegistryPaths.BlobData(digest))));
    }
}
