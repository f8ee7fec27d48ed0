using Berth.Interop.Tests.Support;
using Berth.Testing;

namespace Berth.Interop.Tests.Collection;

/// <summary>
/// `berth garbage-collect` run against a store a Berth is serving: the serving registry's heartbeat makes the command
/// keep what pushes touched within the grace period, instead of registry:2's delete-everything-unreferenced, which
/// would take the layers of a push in flight.
/// </summary>
public sealed class OfflineCollectionBesideServingBerthTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_serving_berth_makes_the_command_keep_a_blob_a_push_just_uploaded_and_stopping_it_lets_the_blob_go()
    {
        var port = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port);
        var orphan = "uploaded, its manifest not yet pushed"u8.ToArray();
        var digest = OciLayout.Sha256(orphan);
        await using (var berth = await RegistryProcess.StartBerthAsync(config, port))
        {
            using var client = new HttpClient { BaseAddress = berth.BaseUri };
            using var upload = await client.PostAsync($"v2/team/app/blobs/uploads/?digest={digest}", new ByteArrayContent(orphan));
            Assert.Equal(System.Net.HttpStatusCode.Created, upload.StatusCode);

            // The heartbeat is written within seconds of the store's first content.
            var instances = Path.Combine(_temp.Combine("store"), "docker/registry/v2/_berth/instances");
            for (var waited = 0; !(Directory.Exists(instances) && Directory.EnumerateFiles(instances).Any()); waited++)
            {
                Assert.True(waited < 150, "no heartbeat within 15 s of the first push");
                await Task.Delay(100);
            }

            var beside = await RunBerthAsync(["garbage-collect", config]);
            Assert.Contains("Berth instance(s) serving this store", beside, StringComparison.Ordinal);
            Assert.DoesNotContain($"blob eligible for deletion: {digest}", beside, StringComparison.Ordinal);
            Assert.Contains($"blob kept: modified within the grace period (1.00:00:00): {digest}", beside, StringComparison.Ordinal);
            using var stillThere = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v2/team/app/blobs/{digest}"));
            Assert.Equal(System.Net.HttpStatusCode.OK, stillThere.StatusCode);

            var forced = await RunBerthAsync(["garbage-collect", "--dry-run", "--grace-period=0s", config]);
            Assert.Contains($"blob eligible for deletion: {digest}", forced, StringComparison.Ordinal);

            // A clean stop (SIGTERM, as systemd stops it) removes the heartbeat: registry:2's behaviour again.
            await berth.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        var stopped = await RunBerthAsync(["garbage-collect", config]);
        Assert.DoesNotContain("serving this store", stopped, StringComparison.Ordinal);
        Assert.Contains($"blob eligible for deletion: {digest}", stopped, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Combine("store"), "docker/registry/v2/blobs/sha256", digest[7..9], digest[7..], "data")));
    }

    private static async Task<string> RunBerthAsync(string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(RepositoryRoot.BerthFileName, RepositoryRoot.BerthArguments(arguments), TimeSpan.FromMinutes(2));
        result.EnsureSuccess($"berth {string.Join(' ', arguments)}");
        return result.Output + result.Error;
    }
}
