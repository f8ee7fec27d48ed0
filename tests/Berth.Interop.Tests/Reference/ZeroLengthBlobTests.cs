using System.Text;

namespace Berth.Interop.Tests.Reference;

/// <summary>
/// The empty blob (sha256 of zero bytes) through every upload path, answered as registry:2 answers. Issue 8, class 1.
/// Each test starts its own pair on fresh stores: the first empty blob a store ever receives takes a different
/// path (nothing to deduplicate against) from every later one, and that first time is what is tested.
/// </summary>
public sealed class ZeroLengthBlobTests : IAsyncLifetime
{
    private readonly ReferencePair pair = new();

    public Task InitializeAsync() => pair.InitializeAsync();

    public Task DisposeAsync() => pair.DisposeAsync();

    private const string Empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public Task Empty_put_with_content_length_zero_completes_an_upload_of_the_empty_blob() =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            var upload = await s.StartUploadAsync("zero/put-cl0");
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(upload, Empty), body: [], contentLength: 0);
            await ReadBackAsync(s, "zero/put-cl0");
        });

    [Fact]
    public Task Empty_put_without_content_length_completes_an_upload_of_the_empty_blob() =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            var upload = await s.StartUploadAsync("zero/put-nocl");
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(upload, Empty));
            await ReadBackAsync(s, "zero/put-nocl");
        });

    [Fact]
    public Task Upload_with_no_patch_and_the_whole_body_on_the_put_completes() =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            var content = Encoding.ASCII.GetBytes("whole body on the PUT");
            var upload = await s.StartUploadAsync("zero/put-body");
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(upload, OciLayout.Sha256(content)), content, "application/octet-stream");
            await s.StepAsync("head", "HEAD", $"/v2/zero/put-body/blobs/{OciLayout.Sha256(content)}");
        });

    [Fact]
    public Task Zero_length_patch_then_put_completes_the_empty_blob() =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            var upload = await s.StartUploadAsync("zero/patch0");
            var patched = await s.StepAsync("empty patch", "PATCH", upload, [], "application/octet-stream");
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(Location(patched, upload), Empty), contentLength: 0);
            await ReadBackAsync(s, "zero/patch0");
        });

    /// <summary>
    /// registry:2 checks only the start of Content-Range against the upload's offset, so an empty chunk sent as
    /// "0-0" (the only inclusive range a client can write for zero bytes at offset 0) is accepted with 202.
    /// </summary>
    [Fact]
    public Task Zero_length_patch_with_content_range_0_0_is_accepted_as_registry2_accepts_it() =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            var upload = await s.StartUploadAsync("zero/patch-range");
            var patched = await s.StepAsync("empty patch", "PATCH", upload, [], "application/octet-stream", null, "Content-Range: 0-0");
            await s.StepAsync("status", "GET", Location(patched, upload));
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(Location(patched, upload), Empty), contentLength: 0);
            await ReadBackAsync(s, "zero/patch-range");
        });

    [Fact]
    public Task Zero_length_chunk_in_the_middle_of_a_chunked_upload_is_accepted_and_the_blob_is_whole() =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            var upload = await s.StartUploadAsync("zero/middle");
            var first = await s.StepAsync("chunk 0-1", "PATCH", upload, "ab"u8.ToArray(), "application/octet-stream", null, "Content-Range: 0-1");
            upload = Location(first, upload);
            var empty = await s.StepAsync("empty chunk", "PATCH", upload, [], "application/octet-stream");
            upload = Location(empty, upload);
            var last = await s.StepAsync("chunk 2-3", "PATCH", upload, "cd"u8.ToArray(), "application/octet-stream", null, "Content-Range: 2-3");
            upload = Location(last, upload);
            var digest = OciLayout.Sha256("abcd"u8);
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(upload, digest), contentLength: 0);
            var blob = await s.StepAsync("get", "GET", $"/v2/zero/middle/blobs/{digest}");
            Assert.Equal("abcd", Encoding.ASCII.GetString(blob.Body));
        });

    [Fact]
    public Task Empty_blob_is_mounted_from_another_repository() =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            var upload = await s.StartUploadAsync("zero/mount-source");
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(upload, Empty), contentLength: 0);
            await s.StepAsync("mount", "POST", $"/v2/zero/mount-target/blobs/uploads/?mount={Empty}&from=zero/mount-source", contentLength: 0);
            await ReadBackAsync(s, "zero/mount-target");
        });

    /// <summary>
    /// registry:2 2.8 ignores ?digest= on POST and opens a session (202); the distribution-spec lets a registry
    /// complete a monolithic POST instead (201). Both are correct answers; what users rely on is that a 201 means the
    /// empty blob is readable and a 202 gives a session that completes it.
    /// </summary>
    [Fact]
    public async Task Monolithic_post_of_the_empty_blob_is_created_or_opens_a_session_that_completes_it()
    {
        var reference = await pair.SendToRegistry2Async("POST", $"/v2/zero/mono/blobs/uploads/?digest={Empty}", [], "application/octet-stream");
        Assert.Equal(202, reference.Status);
        var referenceComplete = await pair.SendToRegistry2Async("PUT", Scenario.WithDigest(Scenario.Target(reference.Header("Location")!), Empty), contentLength: 0);
        Assert.Equal(201, referenceComplete.Status);

        var berth = await pair.SendToBerthAsync("POST", $"/v2/zero/mono/blobs/uploads/?digest={Empty}", [], "application/octet-stream");
        Assert.True(berth.Status is 201 or 202, $"berth answered {berth}");
        if (berth.Status == 202)
        {
            var complete = await pair.SendToBerthAsync("PUT", Scenario.WithDigest(Scenario.Target(berth.Header("Location")!), Empty), contentLength: 0);
            Assert.Equal(201, complete.Status);
        }

        await Scenario.RunOnBothAsync(pair, s => ReadBackAsync(s, "zero/mono"));
    }

    /// <summary>
    /// No byte range of an empty blob is satisfiable: registry:2 answers GET with 416 and "Content-Range: bytes */0".
    /// Not compared, where registry:2 is not a reference: HEAD with Range (registry:2 answers 416; RFC 9110 says a
    /// server MUST ignore Range on any method but GET, so 200 is right) and the suffix range bytes=-1 (registry:2
    /// answers 206 with an empty body, a Go quirk; RFC 9110 makes it unsatisfiable).
    /// </summary>
    [Theory]
    [InlineData("bytes=0-0")]
    [InlineData("bytes=0-")]
    public Task Range_get_of_the_empty_blob_is_416_as_registry2_answers(string range) =>
        Scenario.RunOnBothAsync(pair, async s =>
        {
            // Through an empty PATCH, so that the Range answers are tested whatever the other empty-PUT paths do.
            var upload = await s.StartUploadAsync("zero/range");
            var patched = await s.StepAsync("empty patch", "PATCH", upload, [], "application/octet-stream");
            await s.StepAsync("complete", "PUT", Scenario.WithDigest(Location(patched, upload), Empty), contentLength: 0);
            var answer = await s.StepAsync($"range {range}", "GET", $"/v2/zero/range/blobs/{Empty}", headers: $"Range: {range}");
            Assert.True(answer.Status == 416 && answer.Header("Content-Range") == "bytes */0", $"{s.Registry}: GET with Range {range}: {answer}");
        });

    /// <summary>GET and HEAD of the empty blob: 200 with Content-Length 0 (compared with registry:2 and asserted).</summary>
    private static async Task ReadBackAsync(Scenario s, string repository)
    {
        foreach (var method in new[] { "HEAD", "GET" })
        {
            var answer = await s.StepAsync("read back", method, $"/v2/{repository}/blobs/{Empty}");
            Assert.True(answer.Status == 200 && answer.Header("Content-Length") == "0" && answer.Body.Length == 0,
                $"{s.Registry}: {method} /v2/{repository}/blobs/{Empty} answered {answer} with Content-Length {answer.Header("Content-Length") ?? "(none)"}; steps:\n{string.Join("\n", s.Steps.Select(x => $"  {x.Step} -> {x.Answer.Status}"))}");
            Assert.Equal(Empty, answer.Header("Docker-Content-Digest"));
        }
    }

    private static string Location(RawResponse answer, string previous) =>
        answer.Header("Location") is { } location ? Scenario.Target(location) : previous;
}
