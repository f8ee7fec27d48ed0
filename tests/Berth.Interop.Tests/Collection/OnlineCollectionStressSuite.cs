using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Support;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Collection;

/// <summary>
/// Issue 10's stress test: eight writers push images with shared and unique layers, re-push images the collector has
/// just freed, move, delete and re-push, while the online collector sweeps back to back. Afterwards every image whose
/// push succeeded (and that the writers did not delete) pulls intact, every blob re-hashed, a sample of them with
/// skopeo; after one more sweep of the quiet store no unreferenced blob remains. Pushes may fail with
/// MANIFEST_BLOB_UNKNOWN when the grace period is zero; nothing else may fail.
/// </summary>
public abstract class OnlineCollectionStressSuite(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int SharedLayers = 4;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(25);

    /// <summary>Starts berth on a fresh store with these extra REGISTRY_* variables.</summary>
    private protected abstract Task<RegistryProcess> StartAsync(TempDirectory temp, Dictionary<string, string> environment);

    /// <summary>Every blob digest whose data is in the store, read from the store itself.</summary>
    private protected abstract Task<IReadOnlyList<string>> ListStoredBlobsAsync(TempDirectory temp);

    private protected async Task<StressResult> RunAsync(string gracePeriod)
    {
        using var temp = new TempDirectory();
        await using var berth = await StartAsync(temp, new Dictionary<string, string>
        {
            ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true",
            ["REGISTRY_STORAGE_GC_ENABLED"] = "true",
            ["REGISTRY_STORAGE_GC_INTERVAL"] = "0s",
            ["REGISTRY_STORAGE_GC_GRACEPERIOD"] = gracePeriod,
            ["REGISTRY_LOG_LEVEL"] = "info",
        });
        using var client = new HttpClient { BaseAddress = berth.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        var shared = Enumerable.Range(0, SharedLayers).Select(i => Encoding.UTF8.GetBytes($"shared base layer {i} " + new string('x', 20_000 + i))).ToArray();

        var alive = new ConcurrentDictionary<(string Repository, string Digest), PushedImage>();
        var counters = new StressCounters();
        var deadline = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var random = new Random(writer);
            var mine = new List<PushedImage>();
            for (var round = 0; round < 10_000 && deadline.Elapsed < LoadDuration; round++)
            {
                var repository = $"stress/app{random.Next(3)}";
                var roll = random.Next(10);
                if (roll < 2 && mine.Count > 0)
                {
                    // Delete an image by digest, then push it straight back: its blobs may be being collected.
                    var victim = mine[random.Next(mine.Count)];
                    using var delete = await client.DeleteAsync($"v2/{victim.Repository}/manifests/{victim.Digest}");
                    Assert.True(delete.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound, $"DELETE answered {(int)delete.StatusCode}");
                    alive.TryRemove((victim.Repository, victim.Digest), out _);
                    mine.Remove(victim);
                    if (await PushAsync(client, victim, counters))
                    {
                        alive[(victim.Repository, victim.Digest)] = victim;
                        mine.Add(victim);
                    }
                }
                else if (roll < 3)
                {
                    // A tag deleted: the manifest stays as an untagged revision, so it must still pull by digest.
                    using var delete = await client.DeleteAsync($"v2/{repository}/manifests/t{random.Next(4)}");
                    Assert.True(delete.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NotFound, $"DELETE tag answered {(int)delete.StatusCode}");
                }
                else
                {
                    var image = PushedImage.Create(repository, $"t{random.Next(4)}", shared[random.Next(SharedLayers)], random);
                    if (await PushAsync(client, image, counters))
                    {
                        alive[(image.Repository, image.Digest)] = image;
                        mine.Add(image);
                    }
                }
            }
        })).ToList();
        try
        {
            await Task.WhenAll(writers);
        }
        catch
        {
            // The end of the server's log without the access lines: a crash, or the errors before it.
            output.WriteLine(string.Join('\n', berth.Log.Split('\n').Where(l => !l.Contains("level=info", StringComparison.Ordinal)).TakeLast(60)));
            throw;
        }
        var runsAfterLoad = CollectionRuns(berth.Log);
        output.WriteLine($"load done after {deadline.Elapsed.TotalSeconds:F1} s; {runsAfterLoad} collections so far");

        // Azure keeps modification times in whole seconds: let the last writes age before the final sweeps.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var quiet = CollectionRuns(berth.Log);
        await WaitAsync(() => CollectionRuns(berth.Log) >= quiet + 2, TimeSpan.FromSeconds(60), "two collections after the load");

        var verified = 0;
        foreach (var image in alive.Values)
        {
            await VerifyOverHttpAsync(client, image);
            verified++;
        }

        var sample = alive.Values.OrderBy(i => i.Digest, StringComparer.Ordinal).Take(12).ToList();
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (image, _) =>
            await Skopeo.CopyAsync($"docker://{berth.Host}/{image.Repository}@{image.Digest}", $"oci:{temp.Combine("pulled-" + image.Digest[7..19])}:x", "--src-tls-verify=false"));

        var referenced = alive.Values.SelectMany(i => i.Digests()).ToHashSet(StringComparer.Ordinal);
        var stored = await ListStoredBlobsAsync(temp);
        var unreferenced = stored.Where(d => !referenced.Contains(d)).ToList();
        var log = berth.Log;
        var result = new StressResult(counters.Pushes, counters.Failed, CollectionRuns(log), DeletedBlobs(log), verified, unreferenced.Count);
        output.WriteLine($"pushes: {result.Pushes}, failed pushes (MANIFEST_BLOB_UNKNOWN): {result.FailedPushes}, sweeps: {result.Sweeps}, " +
            $"blobs deleted: {result.BlobsDeleted}, images verified: {result.ImagesVerified} (skopeo: {sample.Count}), unreferenced blobs left: {result.UnreferencedLeft}");
        Assert.True(counters.Pushes > Writers * 5, $"only {counters.Pushes} pushes were made: the load did not run");
        Assert.True(result.Sweeps > 2, $"only {result.Sweeps} collections ran during the load");
        Assert.Empty(unreferenced);
        Assert.DoesNotContain("garbage collection failed", log, StringComparison.Ordinal);
        return result;
    }

    private protected sealed record StressResult(int Pushes, int FailedPushes, int Sweeps, long BlobsDeleted, int ImagesVerified, int UnreferencedLeft);

    private static async Task<bool> PushAsync(HttpClient client, PushedImage image, StressCounters counters)
    {
        foreach (var blob in image.Blobs)
        {
            // As clients do: a blob the registry says it has is not uploaded again.
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{image.Repository}/blobs/{blob.Digest}"));
            Assert.True(head.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"HEAD answered {(int)head.StatusCode}");
            if (head.StatusCode == HttpStatusCode.OK)
            {
                continue;
            }

            using var start = await client.PostAsync($"v2/{image.Repository}/blobs/uploads/", content: null);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var content = new ByteArrayContent(blob.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var put = await client.PutAsync(BlobUploadRequests.WithDigest(start.Headers.Location!, blob.Digest), content);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var manifest = new ByteArrayContent(image.Manifest);
        manifest.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.PutAsync($"v2/{image.Repository}/manifests/{image.Tag}", manifest);
        Interlocked.Increment(ref counters.Pushes);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest && body.Contains("MANIFEST_BLOB_UNKNOWN", StringComparison.Ordinal),
            $"manifest PUT answered {(int)response.StatusCode}: {body}");
        Interlocked.Increment(ref counters.Failed);
        return false;
    }

    private static async Task VerifyOverHttpAsync(HttpClient client, PushedImage image)
    {
        using var manifest = await client.GetAsync($"v2/{image.Repository}/manifests/{image.Digest}");
        Assert.True(manifest.StatusCode == HttpStatusCode.OK, $"{image.Repository}@{image.Digest}: manifest GET answered {(int)manifest.StatusCode}");
        Assert.Equal(image.Manifest, await manifest.Content.ReadAsByteArrayAsync());
        foreach (var blob in image.Blobs)
        {
            var (digest, _) = await BlobUploadRequests.PullDigestAsync(client, image.Repository, blob.Digest);
            Assert.Equal(blob.Digest, digest);
        }
    }

    private static int CollectionRuns(string log) => CountOccurrences(log, "garbage collection: ");

    private static long DeletedBlobs(string log) =>
        log.Split('\n').Where(l => l.Contains("garbage collection: ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"eligible, (\d+) deleted"))
            .Where(m => m.Success).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    private sealed class StressCounters
    {
        public int Pushes;
        public int Failed;
    }

    private sealed record TestBlob(string Digest, byte[] Content);

    private sealed record PushedImage(string Repository, string Tag, string Digest, byte[] Manifest, IReadOnlyList<TestBlob> Blobs)
    {
        public IEnumerable<string> Digests() => Blobs.Select(b => b.Digest).Append(Digest);

        public static PushedImage Create(string repository, string tag, byte[] sharedLayer, Random random)
        {
            var unique = new byte[random.Next(1, 64 * 1024)];
            random.NextBytes(unique);
            var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","nonce":"{{Guid.NewGuid():N}}"}""");
            var blobs = new[] { Blob(config), Blob(sharedLayer), Blob(unique) };
            var manifest = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", blobs[0]),
                ["layers"] = new JsonArray(Descriptor("application/vnd.oci.image.layer.v1.tar", blobs[1]), Descriptor("application/vnd.oci.image.layer.v1.tar", blobs[2])),
            };
            var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
            return new PushedImage(repository, tag, Sha256(bytes), bytes, blobs);
        }

        private static TestBlob Blob(byte[] content) => new(Sha256(content), content);

        private static JsonObject Descriptor(string mediaType, TestBlob blob) => new()
        {
            ["mediaType"] = mediaType,
            ["digest"] = blob.Digest,
            ["size"] = blob.Content.Length,
        };

        private static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
    }
}
