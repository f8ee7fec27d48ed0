using Berth.Core.Collection;
using Berth.Core.Manifests;
using Berth.Core.Retention;
using Berth.Core.Storage;
using Berth.Core.Tests.Collection;
using Berth.Core.Tests.Infrastructure;

namespace Berth.Core.Tests.Retention;

/// <summary>Pushes that land while a retention pass runs, forced at the point where they hurt most.</summary>
public sealed class RetentionRaceTests
{
    private const string DeleteUntaggedAfterAnHour = """
        retention:
          policies:
            - repositories: ["**"]
              deleteuntaggedafter: 1h
        """;

    [Fact]
    public async Task An_old_untagged_manifest_that_an_index_pushed_during_the_pass_lists_is_kept()
    {
        HookedStorageDriver? hooked = null;
        using var registry = CoreRegistry.CreateWithYaml(DeleteUntaggedAfterAnHour, driver => hooked = new HookedStorageDriver(driver));
        var repository = CoreRegistry.Repository("ret/multi");
        var (child, childContent) = await registry.PushImageAsync(repository, tag: null, "platform layer, pushed long ago");
        IndexChildCollectionTests.Age(registry, RegistryPaths.ManifestRevisionLink(repository, child));
        registry.Time.SetUtcNow(DateTimeOffset.UtcNow);

        // After the pass read the child's times (untagged for three hours: it goes), before it deletes it. A client that
        // finds the child already there (HEAD 200) pushes only the index.
        hooked!.Before((operation, path) => operation == "stat" && path == RegistryPaths.UntaggedRecord(repository, child), async () =>
        {
            var outcome = await registry.Manifests.PutAsync(repository, "latest", expectedDigest: null, IndexChildCollectionTests.Index(child, childContent.Length), MediaTypes.OciIndex);
            Assert.Null(outcome.Error);
        });

        await registry.Get<RetentionRunner>().ApplyAsync(dryRun: false, TextWriter.Null);

        Assert.True(hooked.Fired);
        Assert.True(await registry.Driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, child)) is not null, "retention deleted the child of an index pushed (201) during its pass");
    }

    [Fact]
    public async Task A_tag_pushed_again_while_retention_deletes_it_stays_with_the_new_push()
    {
        HookedStorageDriver? hooked = null;
        using var registry = CoreRegistry.CreateWithYaml("""
            retention:
              policies:
                - repositories: ["**"]
                  deletetagsolderthan: 1h
            """, driver => hooked = new HookedStorageDriver(driver));
        var repository = CoreRegistry.Repository("ret/nightly");
        await registry.PushImageAsync(repository, "nightly", "yesterday's build");
        IndexChildCollectionTests.Age(registry, RegistryPaths.TagCurrentLink(repository, "nightly"));
        registry.Time.SetUtcNow(DateTimeOffset.UtcNow);

        // After the pass re-read the tag (still yesterday's: it goes), as it deletes it, the nightly push arrives. It
        // runs beside the delete: a push that has to wait for the delete must not hold the delete up.
        Task<(Digests.Digest Digest, byte[] Content)>? push = null;
        hooked!.Before((operation, path) => operation == "delete" && path == RegistryPaths.Tag(repository, "nightly"), async () =>
        {
            push = Task.Run(() => registry.PushImageAsync(repository, "nightly", "today's build"));
            await Task.WhenAny(push, Task.Delay(TimeSpan.FromMilliseconds(500)));
        });

        await registry.Get<RetentionRunner>().ApplyAsync(dryRun: false, TextWriter.Null);
        var today = await push!;

        var current = await registry.Driver.GetContentAsync(RegistryPaths.TagCurrentLink(repository, "nightly"));
        Assert.True(current is not null, "retention deleted a tag that a push (201) had just moved");
        Assert.Equal(today.Digest.Value, System.Text.Encoding.ASCII.GetString(current));
    }

    [Fact]
    public async Task A_pass_run_beside_a_serving_instance_keeps_an_old_untagged_manifest_that_an_index_pushed_there_lists()
    {
        using var serving = CoreRegistry.CreateWithYaml(DeleteUntaggedAfterAnHour);
        HookedStorageDriver? hooked = null;
        using var retaining = serving.Replica(driver => hooked = new HookedStorageDriver(driver));
        var repository = CoreRegistry.Repository("ret/beside");
        var (child, childContent) = await serving.PushImageAsync(repository, tag: null, "platform layer, pushed long ago");
        IndexChildCollectionTests.Age(serving, RegistryPaths.ManifestRevisionLink(repository, child), RegistryPaths.BlobData(child));
        serving.Time.SetUtcNow(DateTimeOffset.UtcNow);

        // The `berth retention apply` process read the child's times; the index arrives at the serving registry.
        _ = retaining.Driver;
        hooked!.Before((operation, path) => operation == "stat" && path == RegistryPaths.UntaggedRecord(repository, child), async () =>
        {
            var outcome = await serving.Manifests.PutAsync(repository, "latest", expectedDigest: null, IndexChildCollectionTests.Index(child, childContent.Length), MediaTypes.OciIndex);
            Assert.Null(outcome.Error);
        });

        await retaining.Get<RetentionRunner>().ApplyAsync(dryRun: false, TextWriter.Null);

        Assert.True(hooked.Fired);
        Assert.True(await serving.Driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, child)) is not null,
            "retention in another process deleted the child of an index pushed (201) during its pass");
    }
}
