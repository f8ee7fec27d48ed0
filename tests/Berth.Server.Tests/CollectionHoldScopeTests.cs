using System.Net;
using System.Text;
using Berth.Core.Collection;
using Berth.Core.Digests;
using Berth.Core.Storage;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>
/// A push step holds a blob against the collector and restores it from quarantine, but only a blob the repository it
/// acts in links (or, for a mount, the source repository): a reader of one repository must not bring back, nor keep
/// alive, what another repository alone held.
/// </summary>
public sealed class CollectionHoldScopeTests
{
    [Fact]
    public async Task Head_mount_and_manifest_put_in_a_repository_that_does_not_link_a_quarantined_blob_leave_it_in_quarantine()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings { GarbageCollection = ["quarantine: 1h", "graceperiod: 0s"] });
        var client = registry.Client;
        var config = await client.PushBlobAsync("hold/stranger", Encoding.UTF8.GetBytes("{}"));
        var blob = await client.PushBlobAsync("hold/owner", Digests.RandomBytes(300));
        var digest = Digest.TryParse(blob, out var parsed) ? parsed : throw new InvalidOperationException(blob);
        var driver = registry.Resolve<IStorageDriver>();

        // Azure keeps whole seconds: let the upload age past the start of the collection.
        await Task.Delay(TestStorage.UseAzure ? TimeSpan.FromSeconds(2.1) : TimeSpan.Zero);
        await registry.Resolve<GarbageCollector>().CollectAsync(
            new CollectionOptions(DryRun: false, DeleteUntagged: false) { Quarantine = TimeSpan.FromHours(1) }, TextWriter.Null);
        Assert.NotNull(await driver.StatAsync(RegistryPaths.QuarantinedBlobData(digest)));

        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/hold/stranger/blobs/{blob}")))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        Assert.Null(await driver.StatAsync(RegistryPaths.BlobData(digest)));

        using (var mount = await client.PostAsync($"v2/hold/stranger/blobs/uploads/?mount={blob}&from=hold/other", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        }

        Assert.Null(await driver.StatAsync(RegistryPaths.BlobData(digest)));

        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config}}","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{blob}}","size":300}]}""");
        using (var put = await client.PutManifestAsync("hold/stranger", "v1", manifest, "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        }

        Assert.Null(await driver.StatAsync(RegistryPaths.BlobData(digest)));
        Assert.NotNull(await driver.StatAsync(RegistryPaths.QuarantinedBlobData(digest)));

        // The repository that links it gets it back with the HEAD that precedes a push's skipped upload.
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/hold/owner/blobs/{blob}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.NotNull(await driver.StatAsync(RegistryPaths.BlobData(digest)));
    }
}
