using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// Issue 10 on a store written by registry:2 (Debian's docker-registry 2.8.2), which has no untag records: when a
/// tag moved, retention reads the untag time from the tag's own index history, so a manifest pushed long ago but
/// untagged recently keeps its full <c>deleteuntaggedafter</c>.
/// </summary>
public sealed class RetentionOnRegistry2StoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_manifest_untagged_by_registry2_counts_from_when_the_tag_moved_not_from_its_push()
    {
        var store = _temp.Combine("store");
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("first", layerCount: 1, layerBytes: 1500, seed: 7);
        source.AddImage("second", layerCount: 1, layerBytes: 1500, seed: 8);
        var port = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, store, port, """
            retention:
              policies:
                - repositories: ["**"]
                  deleteuntaggedafter: 72h
            """);
        await using (var registry2 = await RegistryProcess.StartRegistry2Async(config, port))
        {
            await Skopeo.CopyAsync(source.Reference("first"), $"docker://{registry2.Host}/team/app:latest");
            await Skopeo.CopyAsync(source.Reference("second"), $"docker://{registry2.Host}/team/app:latest");
        }

        var tag = Path.Combine(store, "docker/registry/v2/repositories/team/app/_manifests/tags/latest");
        var second = File.ReadAllText(Path.Combine(tag, "current/link")).Trim();
        var first = Directory.GetDirectories(Path.Combine(tag, "index/sha256")).Select(d => "sha256:" + Path.GetFileName(d)).Single(d => d != second);
        Assert.False(Directory.Exists(Path.Combine(store, "docker/registry/v2/repositories/team/app/_untagged")));

        // first was pushed 200h ago, the tag moved to second 10h ago.
        var revision = Path.Combine(store, $"docker/registry/v2/repositories/team/app/_manifests/revisions/sha256/{first[7..]}/link");
        File.SetLastWriteTimeUtc(revision, DateTime.UtcNow.AddHours(-200));
        File.SetLastWriteTimeUtc(Path.Combine(store, $"docker/registry/v2/blobs/sha256/{first[7..9]}/{first[7..]}/data"), DateTime.UtcNow.AddHours(-200));
        File.SetLastWriteTimeUtc(Path.Combine(tag, $"index/sha256/{first[7..]}/link"), DateTime.UtcNow.AddHours(-200));
        SetTagMovedAt(tag, second, DateTime.UtcNow.AddHours(-10));
        var young = await RetentionAsync(config);
        Assert.DoesNotContain(first, young, StringComparison.Ordinal);
        Assert.Contains("0 tags and 0 manifests would be deleted", young, StringComparison.Ordinal);

        SetTagMovedAt(tag, second, DateTime.UtcNow.AddHours(-80));
        var old = await RetentionAsync(config);
        Assert.Contains($"team/app: would delete manifest {first}: untagged, unreferenced, last tagged or pushed 80", old, StringComparison.Ordinal);
        Assert.DoesNotContain(second, old, StringComparison.Ordinal);
    }

    private static void SetTagMovedAt(string tag, string digest, DateTime time)
    {
        File.SetLastWriteTimeUtc(Path.Combine(tag, $"index/sha256/{digest[7..]}/link"), time);
        File.SetLastWriteTimeUtc(Path.Combine(tag, "current/link"), time);
    }

    private static async Task<string> RetentionAsync(string config)
    {
        var result = await ExternalProcess.RunAsync(RepositoryRoot.BerthFileName, RepositoryRoot.BerthArguments("retention", "apply", "--dry-run", config), TimeSpan.FromMinutes(1));
        return result.EnsureSuccess("berth retention apply --dry-run").Output;
    }
}
