using System.Collections.Concurrent;
using System.Net;
using Berth.Core.Events;
using Berth.Server.Tests.Infrastructure;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests;

/// <summary>
/// Issue 9: a subscriber registered in the service collection hears what the write path did, in order, for a real
/// skopeo push, a mount, a tag move and a delete (and the pull in between) — without touching any endpoint.
/// </summary>
public sealed class DomainEventTests : IAsyncLifetime, IDisposable
{
    private readonly EventRecorder _recorder = new();
    private RegistryFixture _registry = null!;
    private readonly TempDirectory _temp = new();

    public async Task InitializeAsync() =>
        _registry = await RegistryFixture.StartAsync(services: services => services.AddSingleton<IRegistryEventHandler>(_recorder));

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _temp.Dispose();
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Skopeo_push_mount_tag_move_and_delete_raise_their_events_in_order()
    {
        var layout = new OciLayout(_temp.Combine("src"));
        var manifestDigest = layout.AddImage("v1", layerCount: 2, layerBytes: 50_000, seed: 7);
        var host = _registry.BaseAddress.Authority;

        var push = await ExternalProcess.RunAsync(
            "skopeo", ["--insecure-policy", "copy", "--retry-times", "0", "--dest-tls-verify=false", "--dest-no-creds", layout.Reference("v1"), $"docker://{host}/team/app:v1"],
            TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = _temp.Combine("auth.json") });
        push.EnsureSuccess("skopeo copy");

        var pushEvents = await _recorder.WaitForAsync(e => e is TagMoved);
        var blobs = pushEvents.OfType<BlobCommitted>().ToList();
        Assert.Equal(3, blobs.Count);
        Assert.All(blobs, b => Assert.True(b.Created));
        var pushed = Assert.Single(pushEvents.OfType<ManifestPushed>());
        Assert.Equal(manifestDigest, pushed.Digest.Value);
        Assert.Equal("v1", pushed.Tag);
        Assert.Equal(blobs.Select(b => b.Digest).OrderBy(d => d.Value), pushed.References.OrderBy(d => d.Value));
        Assert.True(pushEvents.IndexOf(pushed) > pushEvents.IndexOf(blobs[^1]), "the manifest is announced after its blobs");
        var tagged = Assert.IsType<TagMoved>(pushEvents[^1]);
        Assert.Equal(("team/app", "v1", manifestDigest, (string?)null), (tagged.Repository.Value, tagged.Tag, tagged.Digest.Value, tagged.Previous?.Value));

        var client = _registry.Client;
        using (var pull = await client.GetManifestAsync("team/app", "v1"))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }

        var pulled = Assert.IsType<ManifestPulled>(Assert.Single(await _recorder.WaitForAsync(e => e is ManifestPulled)));
        Assert.Equal(manifestDigest, pulled.Digest.Value);

        using (var mount = await client.PostAsync($"v2/other/app/blobs/uploads/?mount={blobs[0].Digest}&from=team/app", null))
        {
            Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        }

        var mounted = Assert.IsType<BlobMounted>(Assert.Single(await _recorder.WaitForAsync(e => e is BlobMounted)));
        Assert.Equal(("other/app", "team/app", blobs[0].Digest), (mounted.Repository.Value, mounted.From.Value, mounted.Digest));

        var second = await client.PushImageAsync("team/app", "v1", layerCount: 1);
        var moveEvents = await _recorder.WaitForAsync(e => e is TagMoved);
        var moved = Assert.IsType<TagMoved>(moveEvents[^1]);
        Assert.Equal((second.Digest, manifestDigest), (moved.Digest.Value, moved.Previous?.Value));

        using (var delete = await client.DeleteAsync($"v2/team/app/manifests/{second.Digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        var deleteEvents = await _recorder.WaitForAsync(e => e is ManifestDeleted);
        Assert.Collection(
            deleteEvents,
            e => Assert.Equal(("v1", second.Digest), (Assert.IsType<TagDeleted>(e).Tag, ((TagDeleted)e).Digest?.Value)),
            e => Assert.Equal(second.Digest, Assert.IsType<ManifestDeleted>(e).Digest.Value));
    }

    /// <summary>Collects events; each wait returns what arrived since the last wait, up to the awaited event.</summary>
    private sealed class EventRecorder : IRegistryEventHandler
    {
        private readonly ConcurrentQueue<RegistryEvent> _events = new();

        public ValueTask HandleAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
        {
            _events.Enqueue(registryEvent);
            return ValueTask.CompletedTask;
        }

        public async Task<List<RegistryEvent>> WaitForAsync(Func<RegistryEvent, bool> until)
        {
            var taken = new List<RegistryEvent>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                while (_events.TryDequeue(out var next))
                {
                    taken.Add(next);
                    if (until(next))
                    {
                        return taken;
                    }
                }

                await Task.Delay(20);
            }

            throw new Xunit.Sdk.XunitException($"no awaited event within 10 s; got: {string.Join(", ", taken)}");
        }
    }
}
