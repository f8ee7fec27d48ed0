using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Berth.Interop.Tests.Support;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Interop.Tests.Azure;

/// <summary>
/// A 1 GiB layer pushed in 1 MiB PATCH chunks, as clients with small chunk sizes send it, through berth on the
/// emulator and through berth on the filesystem, and pulled back with the same digest. The layer is generated chunk
/// by chunk from a seeded generator and hashed while streaming, so the test's memory stays flat too. The times are
/// reported (test output and <see cref="TimesFile"/>) for the closing note, not asserted.
/// </summary>
[Collection(LargeLayerCollection.Name)]
public sealed class LargeLayerTests(ITestOutputHelper output) : IDisposable
{
    private const string TimesFile = "/tmp/berth-large-layer-times.txt";
    private const string Repository = "large/layer";
    private const int ChunkSize = 1024 * 1024;
    private const int ChunkCount = 1024;
    private const long LayerSize = (long)ChunkSize * ChunkCount;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_1_GiB_layer_pushed_in_1_MiB_chunks_to_azure_pulls_back_with_its_digest()
    {
        await using var azurite = new Azurite();
        await azurite.StartAsync();
        await using var berth = await BerthOnAzurite.StartAsync(azurite, "registry");
        await PushAndPullAsync(berth, "azure (Azurite)");
    }

    [Fact]
    public async Task A_1_GiB_layer_pushed_in_1_MiB_chunks_to_the_filesystem_pulls_back_with_its_digest()
    {
        var port = FreePort.Next();
        await using var berth = await RegistryProcess.StartBerthAsync(RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port), port);
        await PushAndPullAsync(berth, "filesystem");
    }

    private async Task PushAndPullAsync(RegistryProcess berth, string driver)
    {
        using var client = new HttpClient { BaseAddress = berth.BaseUri, Timeout = TimeSpan.FromMinutes(5) };
        var chunk = new byte[ChunkSize];
        var random = new Random(1024);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var push = Stopwatch.StartNew();
        var location = await BlobUploadRequests.StartAsync(client, Repository);
        for (var i = 0; i < ChunkCount; i++)
        {
            random.NextBytes(chunk);
            hash.AppendData(chunk);
            using var accepted = await BlobUploadRequests.PatchAsync(client, location, chunk, (long)i * ChunkSize);
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"PATCH {i} answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
            location = accepted.Headers.Location!;
        }

        var digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        using (var created = await BlobUploadRequests.CompleteAsync(client, location, digest))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"PUT answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        }

        push.Stop();

        var pull = Stopwatch.StartNew();
        Assert.Equal((digest, LayerSize), await BlobUploadRequests.PullDigestAsync(client, Repository, digest));
        pull.Stop();

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {driver}: push of 1 GiB in {ChunkCount} PATCHes of 1 MiB took {push.Elapsed.TotalSeconds:0.0} s "
            + $"({LayerSize / 1e6 / push.Elapsed.TotalSeconds:0.0} MB/s); pull took {pull.Elapsed.TotalSeconds:0.0} s "
            + $"({LayerSize / 1e6 / pull.Elapsed.TotalSeconds:0.0} MB/s)");
        output.WriteLine(line);
        await File.AppendAllTextAsync(TimesFile, line + Environment.NewLine);
    }
}
