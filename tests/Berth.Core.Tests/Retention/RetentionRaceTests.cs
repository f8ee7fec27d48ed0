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
}
