using System.Text;
using Berth.Core.Manifests;
using Berth.Core.Storage;
using Berth.Core.Tests.Infrastructure;
using Berth.Core.Uploads;

namespace Berth.Core.Tests.Collection;

/// <summary>
/// A push touches stored data it comes to rely on, so a collector in another process keeps it for the grace period;
/// data the push writes itself is fresh, and touching it first would only cost a request (a 404, on Azure a round
/// trip per blob and per manifest).
/// </summary>
public sealed class PushTouchTests
{
    private static readonly byte[] Config = "{}"u8.ToArray();
    private static readonly byte[] Layer = Encoding.UTF8.GetBytes("a layer pushed twice, through two instances");
    private static readonly byte[] Manifest = Samples.OciManifest(CoreRegistry.DigestOf(Config), Config.Length, CoreRegistry.DigestOf(Layer), Layer.Length);

    [Fact]
    public async Task New_blobs_and_a_new_manifest_are_written_without_touching_them_first()
    {
        RecordingStorageDriver? recorder = null;
        using var registry = CoreRegistry.Create(driver => recorder = new RecordingStorageDriver(driver));

        await PushImageAsync(registry);

        Assert.DoesNotContain(recorder!.Writes, write => write.StartsWith("touch ", StringComparison.Ordinal));
        Assert.Contains("put " + RegistryPaths.BlobData(CoreRegistry.DigestOf(Manifest)), recorder.Writes);
    }

    [Fact]
    public async Task A_push_through_another_instance_touches_each_stored_blob_and_manifest_once_and_writes_none()
    {
        using var registry = CoreRegistry.Create();
        await PushImageAsync(registry);
        var stored = new[] { Config, Layer, Manifest }.Select(CoreRegistry.DigestOf).ToList();
        foreach (var digest in stored)
        {
            File.SetLastWriteTimeUtc(registry.FileOf(RegistryPaths.BlobData(digest)), DateTime.UtcNow.AddHours(-2));
        }

        RecordingStorageDriver? recorder = null;
        using var replica = registry.Replica(driver => recorder = new RecordingStorageDriver(driver));
        await PushImageAsync(replica);

        var dataWrites = recorder!.Writes.Where(write => write.Contains("/blobs/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(stored.Select(digest => "touch " + RegistryPaths.BlobData(digest)).Order(StringComparer.Ordinal), dataWrites);
        foreach (var digest in stored)
        {
            Assert.True(File.GetLastWriteTimeUtc(registry.FileOf(RegistryPaths.BlobData(digest))) > DateTime.UtcNow.AddMinutes(-10), $"{digest} was not touched");
        }
    }

    private static async Task PushImageAsync(CoreRegistry registry)
    {
        var repository = CoreRegistry.Repository("touch/app");
        foreach (var blob in new[] { Config, Layer })
        {
            using var body = new MemoryStream(blob);
            var outcome = await registry.Uploads.PutMonolithicAsync(repository, CoreRegistry.DigestOf(blob), body, blob.Length);
            Assert.Equal(CompleteResult.Committed, outcome.Result);
        }

        Assert.Null((await registry.Manifests.PutAsync(repository, "v1", expectedDigest: null, Manifest, MediaTypes.OciManifest)).Error);
    }
}
