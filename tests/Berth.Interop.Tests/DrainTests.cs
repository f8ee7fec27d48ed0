using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// http.draintimeout on a real berth process stopped with SIGTERM mid-upload: an upload that finishes within the
/// drain completes; one cut off at the drain's end stays resumable from what was stored; either way the store holds
/// no data whose digest mismatches and no link to missing data.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private RegistryProcess? _berth;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_berth is not null)
        {
            await _berth.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task An_upload_in_flight_at_SIGTERM_finishes_within_the_drain_timeout()
    {
        var port = await StartAsync("20s");
        var layer = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var location = await StartUploadAsync(client, port);

        var body = new SlowContent(layer, 128 * 1024, TimeSpan.FromMilliseconds(25), signalAfter: 512 * 1024);
        var patch = client.PatchAsync(location, body);
        await body.Sent;
        var exit = _berth!.TerminateAsync(TimeSpan.FromSeconds(30));

        using (var response = await patch)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal($"0-{layer.Length - 1}", response.Headers.GetValues("Range").Single());
        }

        Assert.Equal(0, await exit);
        Assert.Contains("shutting down", _berth.Log, StringComparison.OrdinalIgnoreCase);
        StoreConsistency.Assert(_temp.Combine("store"));

        // The session outlives the process: completing it after a restart stores the whole, verified layer.
        await _berth.RestartAsync();
        await CompleteAndVerifyAsync(client, location, layer, port);
    }

    [Fact]
    public async Task An_upload_cut_off_at_the_drain_timeout_resumes_after_restart_from_what_was_stored()
    {
        var port = await StartAsync("1s");
        var layer = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var location = await StartUploadAsync(client, port);

        var body = new SlowContent(layer, 64 * 1024, TimeSpan.FromMilliseconds(50), signalAfter: 1024 * 1024);
        var patch = client.PatchAsync(location, body);
        await body.Sent;
        var started = DateTime.UtcNow;
        Assert.Equal(0, await _berth!.TerminateAsync(TimeSpan.FromSeconds(30)));
        var stopped = DateTime.UtcNow - started;

        // Cut off: the response is an error or the connection is gone, never a 202 for the whole layer.
        try
        {
            using var response = await patch;
            Assert.NotEqual(HttpStatusCode.Accepted, response.StatusCode);
        }
        catch (HttpRequestException)
        {
        }
        catch (IOException)
        {
        }

        Assert.True(stopped < TimeSpan.FromSeconds(10), $"berth took {stopped.TotalSeconds:0.0} s to stop with a 1 s drain");
        StoreConsistency.Assert(_temp.Combine("store"));

        await _berth.RestartAsync();
        using var status = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        var range = status.Headers.GetValues("Range").Single();
        var stored = range == "0-0" ? 0 : long.Parse(range[(range.IndexOf('-', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture) + 1;
        Assert.True(stored < layer.Length, $"the cut-off upload holds {stored} bytes, not the whole layer");

        // Resume from the registry's offset with the rest of the layer.
        using var rest = new ByteArrayContent(layer, (int)stored, layer.Length - (int)stored);
        rest.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        rest.Headers.TryAddWithoutValidation("Content-Range", $"{stored}-{layer.Length - 1}");
        using var resumed = await client.PatchAsync(location, rest);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        await CompleteAndVerifyAsync(client, resumed.Headers.Location is { IsAbsoluteUri: true } next ? next : location, layer, port);
    }

    private async Task<int> StartAsync(string drainTimeout)
    {
        var port = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port, $"""
              draintimeout: {drainTimeout}
            """);
        _berth = await RegistryProcess.StartBerthAsync(config, port);
        return port;
    }

    private static async Task<Uri> StartUploadAsync(HttpClient client, int port)
    {
        using var start = await client.PostAsync(new Uri($"http://127.0.0.1:{port}/v2/drain/app/blobs/uploads/"), null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return start.Headers.Location!.IsAbsoluteUri ? start.Headers.Location : new Uri(new Uri($"http://127.0.0.1:{port}/"), start.Headers.Location);
    }

    private async Task CompleteAndVerifyAsync(HttpClient client, Uri location, byte[] layer, int port)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer));
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var put = await client.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var pulled = await client.GetByteArrayAsync(new Uri($"http://127.0.0.1:{port}/v2/drain/app/blobs/{digest}"));
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(pulled)));
        StoreConsistency.Assert(_temp.Combine("store"));
        Assert.NotNull(_berth);
    }
}
