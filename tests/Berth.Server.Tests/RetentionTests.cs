using System.Net;
using System.Text.Json.Nodes;
using Berth.Core.Retention;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// Issue 10, retention on every driver (the filesystem, or Azurite with BERTH_TEST_STORAGE=azure): policies run
/// against a serving registry delete exactly the tags and untagged manifests they name, through the write path, and
/// immutable tags refuse to move or go. Push and untag times are the store's own modification times, so the test
/// moves retention's clock instead of the files: tags pushed before <c>mark</c> are "old" once the clock reads
/// mark + 720h, and a manifest untagged at real time R is past deleteuntaggedafter once the clock reads R + 72h.
/// </summary>
public sealed class RetentionTests
{
    private const string Retention = """
        retention:
          immutable: ['^v\d+\.\d+\.\d+$']
          policies:
            - repositories: ["ci/**", "!ci/golden/**"]
              keeptags: ['^release-']
              deletetagsolderthan: 720h
              deleteuntaggedafter: 72h
            - repositories: ["ci/**"]
              keepmostrecent: 1
        """;

    // Azure's Last-Modified has whole seconds: "before" and "after" the mark must differ by more than that.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1200);

    [Fact]
    public async Task A_dry_run_changes_nothing_and_the_real_run_deletes_exactly_what_it_named()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings { ExtraYaml = Retention }, time: clock);
        var client = registry.Client;

        var old = await client.PushImageAsync("ci/app", "old");
        var onlyOld = await client.PushImageAsync("ci/app", "only-old");
        var release = await client.PushImageAsync("ci/app", "release-1");
        var pinned = await client.PushImageAsync("ci/app", "v1.0.0");
        var (index, arm64, amd64) = await client.PushIndexAsync("ci/app", "multi", ImageFormat.Oci);
        var golden = await client.PushImageAsync("ci/golden/base", "first");
        var elsewhere = await client.PushImageAsync("other/app", "ancient");
        await Task.Delay(Tick);
        var mark = DateTimeOffset.UtcNow;
        await Task.Delay(Tick);
        await PutAsync(client, old, "same-digest-new-tag");
        var fresh = await client.PushImageAsync("ci/app", "fresh");
        var signature = await PushReferrerAsync(client, "ci/app", fresh);
        await client.PushImageAsync("ci/golden/base", "second");
        clock.Advance(mark + TimeSpan.FromHours(720) - clock.GetUtcNow());

        var runner = registry.Resolve<RetentionRunner>();
        var dryOutput = new StringWriter();
        var dry = await runner.ApplyAsync(dryRun: true, dryOutput);
        var named = dryOutput.ToString();
        Assert.Contains($"ci/app: would delete tag old ({old.Digest}): pushed", named, StringComparison.Ordinal);
        Assert.Contains($"ci/app: would delete tag only-old ({onlyOld.Digest})", named, StringComparison.Ordinal);
        Assert.Contains($"ci/app: would delete tag multi ({index.Digest})", named, StringComparison.Ordinal);
        Assert.Contains($"ci/golden/base: would delete tag first ({golden.Digest}): not among the 1 most recently pushed (keepmostrecent) [retention.policies[1]]", named, StringComparison.Ordinal);
        Assert.Equal((3, 2, 4, 0), (dry.Repositories, dry.Covered, dry.Tags, dry.Manifests));
        Assert.Equal(new[] { "fresh", "multi", "old", "only-old", "release-1", "same-digest-new-tag", "v1.0.0" }, await TagsAsync(client, "ci/app"));

        var real = await runner.ApplyAsync(dryRun: false, TextWriter.Null);
        Assert.Equal((4, 0, 0), (real.Tags, real.Manifests, real.Skipped));
        Assert.Equal(new[] { "fresh", "release-1", "same-digest-new-tag", "v1.0.0" }, await TagsAsync(client, "ci/app"));
        Assert.Equal(new[] { "second" }, await TagsAsync(client, "ci/golden/base"));
        Assert.Equal(new[] { "ancient" }, await TagsAsync(client, "other/app"));
        await AssertManifestAsync(client, "ci/app", "same-digest-new-tag", HttpStatusCode.OK, old.Digest);
        await AssertManifestAsync(client, "ci/app", "release-1", HttpStatusCode.OK, release.Digest);
        await AssertManifestAsync(client, "ci/app", "v1.0.0", HttpStatusCode.OK, pinned.Digest);
        await AssertManifestAsync(client, "other/app", "ancient", HttpStatusCode.OK, elsewhere.Digest);

        // The untagged manifests stay pullable by digest for deleteuntaggedafter, counted from when they lost the tag:
        // the store recorded that on its own clock, just now.
        clock.Advance(DateTimeOffset.UtcNow + TimeSpan.FromHours(71) - clock.GetUtcNow());
        Assert.Equal(0, (await runner.ApplyAsync(dryRun: false, TextWriter.Null)).Manifests);
        foreach (var digest in new[] { onlyOld.Digest, index.Digest, arm64.Digest, amd64.Digest })
        {
            await AssertManifestAsync(client, "ci/app", digest, HttpStatusCode.OK, digest);
        }

        clock.Advance(TimeSpan.FromHours(2));
        var output = new StringWriter();
        var later = await runner.ApplyAsync(dryRun: false, output);
        Assert.Equal(4, later.Manifests);
        Assert.Contains($"ci/app: deleting manifest {index.Digest}: untagged", output.ToString(), StringComparison.Ordinal);
        foreach (var digest in new[] { onlyOld.Digest, index.Digest, arm64.Digest, amd64.Digest })
        {
            await AssertManifestAsync(client, "ci/app", digest, HttpStatusCode.NotFound, null);
        }

        // The referrer of a kept image is untagged and old, and stays; so does everything tagged.
        await AssertManifestAsync(client, "ci/app", signature, HttpStatusCode.OK, signature);
        await AssertManifestAsync(client, "ci/app", "fresh", HttpStatusCode.OK, fresh.Digest);
        using (var blob = await client.GetAsync($"v2/ci/app/blobs/{fresh.Layers[0].Digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        }

        Assert.Equal(0, (await runner.ApplyAsync(dryRun: true, TextWriter.Null)).Manifests);
    }

    [Fact]
    public async Task An_immutable_tag_refuses_to_move_or_go_and_accepts_the_same_digest_again()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings { ExtraYaml = Retention });
        var client = registry.Client;
        var pinned = await client.PushImageAsync("team/app", "v2.3.4");
        var other = await client.PrepareImageAsync("team/app");

        using (var move = await client.PutManifestAsync("team/app", "v2.3.4", other.Manifest, other.MediaType))
        {
            var error = await ErrorAssert.HasErrorAsync(move, HttpStatusCode.Forbidden, "DENIED");
            Assert.Contains("v2.3.4 is immutable", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // Refused before anything was written: the other image is not even a revision.
        await AssertManifestAsync(client, "team/app", other.Digest, HttpStatusCode.NotFound, null);
        await AssertManifestAsync(client, "team/app", "v2.3.4", HttpStatusCode.OK, pinned.Digest);
        await PutAsync(client, pinned, "v2.3.4");
        await PutAsync(client, other, "v2.3.5-rc1");
        await PutAsync(client, pinned, "latest");

        using (var deleteTag = await client.DeleteAsync("v2/team/app/manifests/v2.3.4"))
        {
            await ErrorAssert.HasErrorAsync(deleteTag, HttpStatusCode.Forbidden, "DENIED");
        }

        using (var deleteManifest = await client.DeleteAsync($"v2/team/app/manifests/{pinned.Digest}"))
        {
            await ErrorAssert.HasErrorAsync(deleteManifest, HttpStatusCode.Forbidden, "DENIED");
        }

        // Nothing was deleted on the way to the refusal, not even the mutable tag on the same digest.
        await AssertManifestAsync(client, "team/app", "latest", HttpStatusCode.OK, pinned.Digest);
        await AssertManifestAsync(client, "team/app", "v2.3.4", HttpStatusCode.OK, pinned.Digest);
        using (var deleteOther = await client.DeleteAsync("v2/team/app/manifests/latest"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleteOther.StatusCode);
        }

        await AssertManifestAsync(client, "team/app", "v2.3.4", HttpStatusCode.OK, pinned.Digest);
    }

    [Fact]
    public async Task The_schedule_runs_a_minute_after_start_and_then_every_interval()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new RegistrySettings
        {
            ExtraYaml = "retention:\n  enabled: true\n  interval: 10m\n  policies:\n    - repositories: ['sched/**']\n      keepmostrecent: 1\n",
        };
        await using var registry = await RegistryFixture.StartAsync(settings, time: clock);
        var client = registry.Client;
        await client.PushImageAsync("sched/app", "a");
        await client.PushImageAsync("sched/app", "b");

        clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(300);
        Assert.Equal(2, (await TagsAsync(client, "sched/app")).Length);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForTagCountAsync(client, "sched/app", 1);

        await client.PushImageAsync("sched/app", "c");
        clock.Advance(TimeSpan.FromMinutes(10));
        await WaitForTagCountAsync(client, "sched/app", 1);
    }

    private static async Task WaitForTagCountAsync(HttpClient client, string repository, int count)
    {
        // The pass runs on the hosted service's own task; bounded, it takes milliseconds.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await TagsAsync(client, repository)).Length != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{repository} did not reach {count} tag(s) within 10 s");
            await Task.Delay(100);
        }
    }

    private static async Task PutAsync(HttpClient client, TestImage image, string tag)
    {
        using var put = await client.PutManifestAsync(image.Repository, tag, image.Manifest, image.MediaType);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private static async Task AssertManifestAsync(HttpClient client, string repository, string reference, HttpStatusCode status, string? digest)
    {
        using var get = await client.GetManifestAsync(repository, reference);
        Assert.True(status == get.StatusCode, $"{repository}:{reference}: expected {(int)status}, got {(int)get.StatusCode}");
        if (digest is not null)
        {
            Assert.Equal(digest, get.Header("Docker-Content-Digest"));
        }
    }

    private static async Task<string[]> TagsAsync(HttpClient client, string repository)
    {
        using var list = await client.GetAsync($"v2/{repository}/tags/list");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var tags = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["tags"]!.AsArray();
        return [.. tags.Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    private static async Task<string> PushReferrerAsync(HttpClient client, string repository, TestImage subject)
    {
        var config = "{}"u8.ToArray();
        await client.PushBlobAsync(repository, config);
        var payload = Digests.RandomBytes(64);
        await client.PushBlobAsync(repository, payload);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaType.OciManifest,
            ["artifactType"] = "application/vnd.example.signature",
            ["config"] = ManifestBuilder.Descriptor(MediaType.OciEmpty, config),
            ["layers"] = new JsonArray(ManifestBuilder.Descriptor("application/octet-stream", payload)),
            ["subject"] = ManifestBuilder.Descriptor(subject.MediaType, subject.Digest, subject.Manifest.Length),
        }.ToBytes();
        var digest = Digests.Sha256(manifest);
        using var put = await client.PutManifestAsync(repository, digest, manifest, MediaType.OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }
}
