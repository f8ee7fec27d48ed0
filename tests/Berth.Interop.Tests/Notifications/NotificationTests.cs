using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests.Notifications;

/// <summary>
/// registry:2's webhook notifications from a berth process to a real receiver: the envelope and events registry:2
/// 2.8 sends for a skopeo push, pulls, a mount and deletes; configured headers and ignore rules; and Berth's outbox,
/// which keeps events while the receiver fails and across a crash of the registry, and delivers them in order.
/// </summary>
public sealed class NotificationTests : IAsyncLifetime
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _temp = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Push_pull_mount_and_delete_reach_the_endpoint_in_registry2s_envelope_with_the_configured_headers_and_ignores()
    {
        var port = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port, $"""
            notifications:
              events:
                includereferences: true
              endpoints:
                - name: all
                  url: {_receiver.Url}
                  headers:
                    Authorization: [Bearer s3cret]
                    X-Endpoint: [all]
                - name: filtered
                  url: {_receiver.Url}
                  headers:
                    X-Endpoint: [filtered]
                  ignore:
                    actions: [pull]
                    mediatypes: [application/octet-stream]
            """);
        await using var registry = await RegistryProcess.StartBerthAsync(config, port);
        using var client = new HttpClient { BaseAddress = registry.BaseUri };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("notification-test/1.0");

        var layout = new OciLayout(_temp.Combine("image"));
        var manifestDigest = layout.AddImage("v1", layerCount: 1, layerBytes: 2048, seed: 11);
        await Skopeo.CopyAsync(layout.Reference("v1"), $"docker://{registry.Host}/hooks/app:v1");
        // Read from the layout, not the registry: a read from the registry would be a pull.
        var manifest = JsonNode.Parse(File.ReadAllText(_temp.Combine("image", "blobs", "sha256", manifestDigest["sha256:".Length..])))!;
        var layer = manifest["layers"]![0]!["digest"]!.GetValue<string>();
        var configDigest = manifest["config"]!["digest"]!.GetValue<string>();

        using (var request = new HttpRequestMessage(HttpMethod.Get, "v2/hooks/app/manifests/v1"))
        {
            request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            using var pulled = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        using (var pulled = await client.GetAsync($"v2/hooks/app/blobs/{layer}"))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        using (var mounted = await client.PostAsync($"v2/hooks/other/blobs/uploads/?mount={layer}&from=hooks/app", content: null))
        {
            Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        }

        using (var deleted = await client.DeleteAsync($"v2/hooks/other/blobs/{layer}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        using (var deleted = await client.DeleteAsync($"v2/hooks/app/manifests/{manifestDigest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        // 9 for "all" (3 pushes, 2 pulls, a mount, 3 deletes), 4 for "filtered" (no pulls, no blob media type).
        var deliveries = await _receiver.WaitForAsync(13, DeliveryTimeout);
        await Task.Delay(300);
        Assert.Equal(13, _receiver.Deliveries.Count);

        foreach (var delivery in deliveries)
        {
            Assert.Equal("application/vnd.docker.distribution.events.v1+json", delivery.ContentType);
            Assert.Single(delivery.Envelope["events"]!.AsArray());
        }

        var all = deliveries.Where(d => d.Headers["X-Endpoint"] == "all").Select(d => d.Event).ToList();
        var filtered = deliveries.Where(d => d.Headers["X-Endpoint"] == "filtered").Select(d => d.Event).ToList();
        Assert.All(deliveries.Where(d => d.Headers["X-Endpoint"] == "all"), d => Assert.Equal("Bearer s3cret", d.Headers.Authorization.ToString()));
        Assert.All(deliveries.Where(d => d.Headers["X-Endpoint"] == "filtered"), d => Assert.False(d.Headers.ContainsKey("Authorization")));

        // skopeo may upload the config and the layer in either order; the manifest comes after both.
        Assert.Equal(
            new[] { $"push hooks/app application/octet-stream {configDigest}", $"push hooks/app application/octet-stream {layer}" }.Order(),
            all.Take(2).Select(WebhookReceiver.Describe).Order());
        Assert.Equal(
            [
                $"push hooks/app application/vnd.oci.image.manifest.v1+json {manifestDigest} v1",
                $"pull hooks/app application/vnd.oci.image.manifest.v1+json {manifestDigest} v1",
                $"pull hooks/app application/octet-stream {layer}",
                $"mount hooks/other application/octet-stream {layer}",
                $"delete hooks/other  {layer}",
                "delete hooks/app   v1",
                $"delete hooks/app  {manifestDigest}",
            ],
            all.Skip(2).Select(WebhookReceiver.Describe));
        Assert.Equal(
            [
                $"push hooks/app application/vnd.oci.image.manifest.v1+json {manifestDigest} v1",
                $"delete hooks/other  {layer}",
                "delete hooks/app   v1",
                $"delete hooks/app  {manifestDigest}",
            ],
            filtered.Select(WebhookReceiver.Describe));

        // The fields registry:2 fills, with the values it would give.
        var push = all[2];
        var target = push["target"]!;
        Assert.Equal(target["size"]!.GetValue<long>(), target["length"]!.GetValue<long>());
        Assert.Equal($"http://{registry.Host}/v2/hooks/app/manifests/{manifestDigest}", target["url"]!.GetValue<string>());
        Assert.Equal([configDigest, layer], target["references"]!.AsArray().Select(r => r!["digest"]!.GetValue<string>()));
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", target["references"]![1]!["mediaType"]!.GetValue<string>());
        Assert.Equal("PUT", push["request"]!["method"]!.GetValue<string>());
        Assert.StartsWith("skopeo/", push["request"]!["useragent"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(registry.Host, push["request"]!["host"]!.GetValue<string>());
        Assert.StartsWith("127.0.0.1:", push["request"]!["addr"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(push["request"]!["id"]!.GetValue<string>()));
        Assert.Equal($"{Environment.MachineName}:{port}", push["source"]!["addr"]!.GetValue<string>());
        Assert.True(Guid.TryParse(push["source"]!["instanceID"]!.GetValue<string>(), out _));
        Assert.NotNull(push["actor"]);
        Assert.True(DateTimeOffset.TryParse(push["timestamp"]!.GetValue<string>(), out _));

        var mount = all[5];
        Assert.Equal("hooks/app", mount["target"]!["fromRepository"]!.GetValue<string>());
        Assert.Equal("POST", mount["request"]!["method"]!.GetValue<string>());
        Assert.Equal("notification-test/1.0", mount["request"]!["useragent"]!.GetValue<string>());

        // As registry:2 does with includereferences, the manifest pull lists what the manifest references too.
        Assert.Equal([configDigest, layer], all[3]["target"]!["references"]!.AsArray().Select(r => r!["digest"]!.GetValue<string>()));

        var pull = all[4];
        Assert.Equal("GET", pull["request"]!["method"]!.GetValue<string>());
        Assert.Equal($"http://{registry.Host}/v2/hooks/app/blobs/{layer}", pull["target"]!["url"]!.GetValue<string>());

        // The same event goes to both endpoints under the same id; within an endpoint ids are unique.
        Assert.Equal(all.Count, all.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(all[2]["id"]!.GetValue<string>(), filtered[0]["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_wait_in_the_outbox_while_the_endpoint_fails_and_across_a_crash_then_arrive_in_order_once_each()
    {
        var port = FreePort.Next();
        var outbox = _temp.Combine("outbox");
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port, $"""
            notifications:
              outbox:
                directory: {outbox}
              endpoints:
                - name: hook
                  url: {_receiver.Url}
                  threshold: 2
                  backoff: 100ms
                  timeout: 2s
            """);
        _receiver.Failing = true;
        await using var registry = await RegistryProcess.StartBerthAsync(config, port);
        using var client = new HttpClient { BaseAddress = registry.BaseUri };

        var pushed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            pushed.Add(await PushBlobAsync(client, i));
        }

        // Every event is on disk before the crash: the receiver refused them all so far.
        await WaitUntilAsync(() => PendingFiles(outbox, "hook") == 5 && _receiver.Refused > 0, "5 events in the outbox and a refused delivery");

        await registry.RestartAsync();
        for (var i = 5; i < 8; i++)
        {
            pushed.Add(await PushBlobAsync(client, i));
        }

        _receiver.Failing = false;
        var deliveries = await _receiver.WaitForAsync(8, DeliveryTimeout);
        await Task.Delay(300);
        var events = _receiver.Deliveries.Select(d => d.Event).ToList();

        Assert.Equal(pushed, events.Select(e => e["target"]!["digest"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal("push", e["action"]!.GetValue<string>()));
        Assert.Equal(8, events.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());

        // Two registry instances raised them: the source's instance id changes with the restart.
        var instances = events.Select(e => e["source"]!["instanceID"]!.GetValue<string>()).ToList();
        Assert.Single(instances.Take(5).Distinct());
        Assert.Single(instances.Skip(5).Distinct());
        Assert.NotEqual(instances[0], instances[5]);

        await WaitUntilAsync(() => PendingFiles(outbox, "hook") == 0, "the outbox to be empty after delivery");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(outbox, "hook")));
        Assert.Equal(deliveries.Count, events.Count);
    }

    [Fact]
    public async Task A_full_outbox_drops_new_events_for_that_endpoint_and_says_so_once_in_the_log()
    {
        var port = FreePort.Next();
        var outbox = _temp.Combine("outbox");
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port, $"""
            notifications:
              outbox:
                directory: {outbox}
                maxevents: 2
              endpoints:
                - name: hook
                  url: {_receiver.Url}
                  threshold: 1
                  backoff: 100ms
            """);
        _receiver.Failing = true;
        await using var registry = await RegistryProcess.StartBerthAsync(config, port);
        using var client = new HttpClient { BaseAddress = registry.BaseUri };

        var pushed = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            pushed.Add(await PushBlobAsync(client, 20 + i));
        }

        await WaitUntilAsync(() => registry.Log.Contains("new events for it are dropped", StringComparison.Ordinal), "the overflow to be logged");
        Assert.Equal(2, PendingFiles(outbox, "hook"));
        Assert.Single(registry.Log.Split('\n'), line => line.Contains("notifications.outbox.maxevents", StringComparison.Ordinal));

        _receiver.Failing = false;
        await _receiver.WaitForAsync(2, DeliveryTimeout);
        pushed.Add(await PushBlobAsync(client, 30));
        var events = (await _receiver.WaitForAsync(3, DeliveryTimeout)).Select(d => d.Event["target"]!["digest"]!.GetValue<string>()).ToList();
        Assert.Equal([pushed[0], pushed[1], pushed[4]], events);
        await WaitUntilAsync(() => registry.Log.Contains("accepts events again", StringComparison.Ordinal), "the recovery to be logged");
    }

    private static async Task<string> PushBlobAsync(HttpClient client, int seed)
    {
        var content = new byte[512 + seed];
        new Random(seed).NextBytes(content);
        var digest = OciLayout.Sha256(content);
        var location = await BlobUploadRequests.StartAsync(client, "hooks/durable");
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PutAsync(BlobUploadRequests.WithDigest(location, digest), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    private static int PendingFiles(string outbox, string endpoint) =>
        Directory.Exists(Path.Combine(outbox, endpoint)) ? Directory.EnumerateFiles(Path.Combine(outbox, endpoint), "*.json").Count() : 0;

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
