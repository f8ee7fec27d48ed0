using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// Issue 10, end to end: images pushed with skopeo to a running berth on the filesystem, aged by setting the link
/// files' modification times, then <c>berth retention apply</c> from the command line beside the serving registry.
/// The dry run changes nothing; the real run removes exactly the tags it named, another tag on the same digest and
/// every kept image still pull whole; an untagged manifest goes once its grace has passed; skopeo cannot move an
/// immutable tag.
/// </summary>
public sealed class RetentionCommandTests : BerthOnDiskTest
{
    private static readonly DateTime FortyDaysAgo = DateTime.UtcNow.AddDays(-40);

    private string _config = null!;

    public override async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _config = RegistryProcess.WriteConfig(Temp.Path, Temp.Combine("store"), port, """
            retention:
              immutable: ['^v\d+\.\d+\.\d+$']
              policies:
                - repositories: ["team/**"]
                  deletetagsolderthan: 720h
                  deleteuntaggedafter: 72h
            """);
        Registry = await RegistryProcess.StartBerthAsync(_config, port);
    }

    private new RegistryProcess Registry { get; set; } = null!;

    public override async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        Temp.Dispose();
    }

    [Fact]
    public async Task Apply_deletes_the_aged_tags_it_names_and_keeps_everything_else_pullable()
    {
        var source = new OciLayout(Temp.Combine("src"));
        source.AddImage("a", layerCount: 1, layerBytes: 2000, seed: 1);
        source.AddImage("b", layerCount: 1, layerBytes: 2000, seed: 2);
        source.AddImage("c", layerCount: 1, layerBytes: 2000, seed: 3);
        source.AddImage("d", layerCount: 1, layerBytes: 2000, seed: 4);
        foreach (var (image, target) in new[] { ("a", "team/app:old"), ("a", "team/app:also-a"), ("b", "team/app:stale"), ("c", "team/app:new"), ("d", "team/app:v1.0.0"), ("a", "other/app:ancient") })
        {
            await Skopeo.CopyAsync(source.Reference(image), $"docker://{Registry.Host}/{target}");
        }

        foreach (var (repository, tag) in new[] { ("team/app", "old"), ("team/app", "stale"), ("team/app", "v1.0.0"), ("other/app", "ancient") })
        {
            File.SetLastWriteTimeUtc(CurrentLink(repository, tag), FortyDaysAgo);
        }

        var a = Digest("team/app", "old");
        var b = Digest("team/app", "stale");
        var d = Digest("team/app", "v1.0.0");

        var dryRun = await RetentionAsync("--dry-run");
        Assert.Contains($"team/app: would delete tag old ({a}): pushed", dryRun, StringComparison.Ordinal);
        Assert.Contains($"team/app: would delete tag stale ({b}): pushed", dryRun, StringComparison.Ordinal);
        Assert.Contains("2 tags and 0 manifests would be deleted (dry run: nothing was changed)", dryRun, StringComparison.Ordinal);
        Assert.DoesNotContain("ancient", dryRun, StringComparison.Ordinal);
        Assert.DoesNotContain("v1.0.0", dryRun, StringComparison.Ordinal);
        Assert.Equal(["also-a", "new", "old", "stale", "v1.0.0"], (await Skopeo.ListTagsAsync($"docker://{Registry.Host}/team/app")).Order());

        var applied = await RetentionAsync();
        Assert.Contains($"team/app: deleting tag old ({a})", applied, StringComparison.Ordinal);
        Assert.Contains($"team/app: deleting tag stale ({b})", applied, StringComparison.Ordinal);
        Assert.Contains("2 tags and 0 manifests deleted", applied, StringComparison.Ordinal);
        // The command is another instance on the same store: the server sees its deletes once its 2 s tag cache expires.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(["also-a", "new", "v1.0.0"], (await Skopeo.ListTagsAsync($"docker://{Registry.Host}/team/app")).Order());
        Assert.Equal(["ancient"], await Skopeo.ListTagsAsync($"docker://{Registry.Host}/other/app"));
        Assert.Equal(a, Digest("team/app", "also-a"));
        foreach (var reference in new[] { "team/app:also-a", "team/app:new", "team/app:v1.0.0", "other/app:ancient", $"team/app@{b}" })
        {
            await Skopeo.CopyAsync($"docker://{Registry.Host}/{reference}", $"oci:{Temp.Combine("back")}:{reference.Replace('/', '-').Replace(':', '-').Replace('@', '-')}");
        }

        // b lost its last tag just now: it stays for deleteuntaggedafter, then goes once that much time has passed.
        Assert.Contains("0 tags and 0 manifests deleted", await RetentionAsync(), StringComparison.Ordinal);
        File.SetLastWriteTimeUtc(Store($"repositories/team/app/_untagged/sha256/{b[7..]}"), DateTime.UtcNow.AddHours(-73));
        File.SetLastWriteTimeUtc(Store($"repositories/team/app/_manifests/revisions/sha256/{b[7..]}/link"), DateTime.UtcNow.AddHours(-73));
        File.SetLastWriteTimeUtc(Store($"blobs/sha256/{b[7..9]}/{b[7..]}/data"), DateTime.UtcNow.AddHours(-73));
        var later = await RetentionAsync();
        Assert.Contains($"team/app: deleting manifest {b}: untagged", later, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var gone = await ExternalProcess.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://{Registry.Host}/team/app@{b}"], TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, gone.ExitCode);
        Assert.False(Directory.Exists(Store($"repositories/team/app/_untagged/sha256/{b[7..]}")));

        // skopeo cannot move the immutable tag, and the tag still names its image.
        var move = await ExternalProcess.RunAsync(
            "skopeo", ["--insecure-policy", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", source.Reference("c"), $"docker://{Registry.Host}/team/app:v1.0.0"], TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, move.ExitCode);
        Assert.Contains("denied", move.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("immutable", move.Error, StringComparison.Ordinal);
        Assert.Equal(d, Digest("team/app", "v1.0.0"));
    }

    private async Task<string> RetentionAsync(params string[] options)
    {
        var result = await ExternalProcess.RunAsync(RepositoryRoot.BerthFileName, RepositoryRoot.BerthArguments(["retention", "apply", .. options, _config]), TimeSpan.FromMinutes(1));
        return result.EnsureSuccess("berth retention apply").Output;
    }

    private string Store(string path) => Path.Combine(Temp.Combine("store"), "docker/registry/v2", path);

    private string CurrentLink(string repository, string tag) => Store($"repositories/{repository}/_manifests/tags/{tag}/current/link");

    private string Digest(string repository, string tag) => File.ReadAllText(CurrentLink(repository, tag)).Trim();
}
