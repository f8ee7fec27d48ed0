using System.Text.Json;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// Issue 10: on a directory written by registry:2 (Debian's docker-registry 2.8.2), <c>berth garbage-collect
/// --dry-run</c> names the same blobs as <c>docker-registry garbage-collect --dry-run</c>, with and without
/// <c>-m</c> — except the index children registry:2 2.8 wrongly frees (distribution#3178), which Berth keeps.
/// </summary>
public sealed class GarbageCollectionParityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Dry_runs_name_the_same_blobs_as_registry2_and_the_real_run_keeps_every_tagged_image()
    {
        var store = _temp.Combine("store");
        var source = new OciLayout(_temp.Combine("src"));
        source.AddImage("first", layerCount: 2, layerBytes: 3000, seed: 41);
        source.AddImage("second", layerCount: 2, layerBytes: 3000, seed: 42);
        var indexDigest = source.AddMultiArchIndex("multi", 43, "amd64", "arm64");
        var port = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, store, port);
        await using (var registry2 = await RegistryProcess.StartRegistry2Async(config, port))
        {
            // The tag moves: the first image becomes an untagged revision whose blobs only -m frees.
            await Skopeo.CopyAsync(source.Reference("first"), $"docker://{registry2.Host}/team/app:v1");
            await Skopeo.CopyAsync(source.Reference("second"), $"docker://{registry2.Host}/team/app:v1");
            await Skopeo.CopyAsync(source.Reference("multi"), $"docker://{registry2.Host}/team/multi:latest", "--all");
            // A blob no manifest references, as an interrupted push leaves it.
            using var client = new HttpClient();
            using var session = await client.PostAsync(new Uri(registry2.BaseUri, "v2/team/app/blobs/uploads/"), null);
            var location = new Uri(registry2.BaseUri, session.Headers.Location!);
            var separator = location.Query.Length > 0 ? "&" : "?";
            using var orphan = await client.PutAsync(new Uri($"{location}{separator}digest={OciLayout.Sha256("orphan blob"u8)}"), new ByteArrayContent("orphan blob"u8.ToArray()));
            Assert.Equal(System.Net.HttpStatusCode.Created, orphan.StatusCode);
        }

        var registry2Plain = Eligible(await RunAsync("/usr/bin/docker-registry", ["garbage-collect", "--dry-run", config]));
        var berthPlain = Eligible(await RunBerthAsync(["garbage-collect", "--dry-run", config]));
        var registry2Untagged = Eligible(await RunAsync("/usr/bin/docker-registry", ["garbage-collect", "--dry-run", "--delete-untagged", config]));
        var berthUntaggedOutput = await RunBerthAsync(["garbage-collect", "--dry-run", "--delete-untagged", config]);
        var berthUntagged = Eligible(berthUntaggedOutput);

        Assert.Equal([OciLayout.Sha256("orphan blob"u8)], registry2Plain);
        Assert.Equal(registry2Plain, berthPlain);
        var childBlobs = ChildBlobs(indexDigest);
        Assert.Equal(registry2Untagged.Except(childBlobs).Order(), berthUntagged.Order());
        Assert.Subset(registry2Untagged.ToHashSet(), childBlobs.ToHashSet());
        Assert.Contains("kept untagged manifest", berthUntaggedOutput, StringComparison.Ordinal);

        // The real run, then what is left must pull whole, and a second dry run finds nothing more.
        await RunBerthAsync(["garbage-collect", "--delete-untagged", config]);
        Assert.Empty(Eligible(await RunBerthAsync(["garbage-collect", "--dry-run", "--delete-untagged", config])));
        await using var berth = await RegistryProcess.StartBerthAsync(config, port);
        await Skopeo.CopyAsync($"docker://{berth.Host}/team/app:v1", $"oci:{_temp.Combine("back")}:v1");
        await Skopeo.CopyAsync($"docker://{berth.Host}/team/multi:latest", $"oci:{_temp.Combine("back")}:multi", "--all");
    }

    private static SortedSet<string> Eligible(string output) =>
        new(output.Split('\n').Where(line => line.StartsWith("blob eligible for deletion: ", StringComparison.Ordinal)).Select(line => line.Trim()[28..]), StringComparer.Ordinal);

    /// <summary>The configs and layers of the index's children, read from the OCI layout they were pushed from.</summary>
    private List<string> ChildBlobs(string indexDigest)
    {
        string Blob(string digest) => File.ReadAllText(Path.Combine(_temp.Combine("src"), "blobs", "sha256", digest["sha256:".Length..]));
        var result = new List<string>();
        using var index = JsonDocument.Parse(Blob(indexDigest));
        foreach (var child in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            using var manifest = JsonDocument.Parse(Blob(child.GetProperty("digest").GetString()!));
            result.Add(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!);
            result.AddRange(manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!));
        }

        return result;
    }

    private static async Task<string> RunBerthAsync(string[] arguments) =>
        await RunAsync(RepositoryRoot.BerthFileName, RepositoryRoot.BerthArguments(arguments));

    private static async Task<string> RunAsync(string fileName, string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(fileName, arguments, TimeSpan.FromMinutes(2));
        result.EnsureSuccess($"{fileName} {string.Join(' ', arguments)}");
        return result.Output + result.Error;
    }
}
