using System.Collections.Concurrent;
using System.Net;
using Berth.Auth.Tests.Support;
using Berth.Core.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Auth.Tests;

/// <summary>
/// Events carry the request that caused them (registry:2's request and actor records): the authenticated user, the
/// method, the client's user agent and address, and the request id, whatever handler raised them.
/// </summary>
public sealed class EventOriginTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("berth-auth");
    private readonly ConcurrentQueue<RegistryEvent> _events = new();
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-secret-1"));
        _registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {htpasswd}
            """, configure: builder => builder.Services.AddSingleton<IRegistryEventHandler>(new Recorder(_events)));
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_blob_push_and_its_pull_carry_the_user_method_agent_address_and_request_id()
    {
        using var client = new HttpClient { BaseAddress = _registry.BaseAddress };
        client.DefaultRequestHeaders.Authorization = AuthRegistry.Basic("alice", "alice-secret-1");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("origin-test/2.0");
        var content = "origin"u8.ToArray();
        var digest = OciLayout.Sha256(content);
        using (var pushed = await client.PostAsync($"v2/team/app/blobs/uploads/?digest={digest}", new ByteArrayContent(content)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        using (var pulled = await client.GetAsync($"v2/team/app/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_events.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var committed = Assert.Single(_events.OfType<BlobCommitted>()).Origin;
        var pulledOrigin = Assert.Single(_events.OfType<BlobPulled>()).Origin;
        Assert.NotNull(committed);
        Assert.NotNull(pulledOrigin);
        Assert.Equal(("alice", "POST", "origin-test/2.0", _registry.Host, "http"), (committed.Actor, committed.Method, committed.UserAgent, committed.Host, committed.Scheme));
        Assert.StartsWith("127.0.0.1:", committed.Addr, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(committed.RequestId));
        Assert.Equal(("alice", "GET"), (pulledOrigin.Actor, pulledOrigin.Method));
        Assert.NotEqual(committed.RequestId, pulledOrigin.RequestId);
    }

    private sealed class Recorder(ConcurrentQueue<RegistryEvent> events) : IRegistryEventHandler
    {
        public ValueTask HandleAsync(RegistryEvent registryEvent, CancellationToken cancellationToken)
        {
            events.Enqueue(registryEvent);
            return ValueTask.CompletedTask;
        }
    }
}
