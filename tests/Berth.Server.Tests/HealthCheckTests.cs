using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Server.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Server.Tests;

/// <summary>
/// registry:2's health section: while a periodic check fails, /debug/health lists it with 503 and API requests get
/// 503 UNAVAILABLE; when it passes again both recover. Checks run every 100 ms here.
/// </summary>
public sealed class HealthCheckTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Storage_outage_turns_health_and_the_API_to_503_until_the_store_is_back()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings
        {
            DebugListener = true,
            Health = "storagedriver:\n  enabled: true\n  interval: 100ms\n  threshold: 2",
        });
        using var debug = new HttpClient { BaseAddress = registry.DebugAddress };
        var check = $"storagedriver_{registry.Services.Driver.Name}";
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.Client, "v2/"));

        await TestStorage.RemoveStoreAsync(registry.Store.Root);
        var failing = await WaitForAsync(debug, HttpStatusCode.ServiceUnavailable);

        Assert.True(failing.ContainsKey(check), $"the failing check is named {check}: {string.Join(", ", failing.Keys)}");
        using (var api = await registry.Client.GetAsync("v2/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            using var body = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
            Assert.Equal("UNAVAILABLE", body.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
        }

        // The same answer on the registry's own listener, where load balancers probe.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(registry.Client, "/debug/health"));

        await TestStorage.RestoreStoreAsync(registry.Store.Root);
        var healthy = await WaitForAsync(debug, HttpStatusCode.OK);

        Assert.Empty(healthy);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.Client, "v2/"));
        await registry.Client.PushBlobAsync("health/after", [1, 2, 3]);
    }

    [Fact]
    public async Task A_present_file_fails_its_check_and_removing_it_recovers()
    {
        using var temp = new TempDirectory();
        var drain = temp.Combine("drain");
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings
        {
            Health = $"file:\n  - file: '{drain}'\n    interval: 100ms",
        });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.Client, "v2/"));

        await File.WriteAllTextAsync(drain, "out of rotation");
        var failing = await WaitForAsync(registry.Client, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("file exists", failing[drain]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(registry.Client, "v2/"));

        File.Delete(drain);
        await WaitForAsync(registry.Client, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(registry.Client, "v2/"));
    }

    [Fact]
    public async Task Tcp_and_http_checks_name_their_address_and_word_failures_as_registry2_does()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var unanswered = $"http://{address}/ping";
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings
        {
            Health = $"tcp:\n  - addr: {address}\n    timeout: 1s\n    interval: 100ms\n    threshold: 3\n" +
                     $"http:\n  - uri: {unanswered}\n    timeout: 200ms\n    interval: 100ms\n    threshold: 2",
        });

        // The listener accepts connections (TCP passes) but never answers HTTP (the HTTP check times out).
        var failing = await WaitForAsync(registry.Client, HttpStatusCode.ServiceUnavailable);
        Assert.Contains(unanswered, failing.Keys);
        Assert.DoesNotContain(address, failing.Keys);

        listener.Stop();
        failing = await WaitForAsync(registry.Client, HttpStatusCode.ServiceUnavailable, f => f.ContainsKey(address));
        Assert.Contains("connection failed", failing[address], StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>Polls /debug/health until it answers <paramref name="status"/> (and the body satisfies <paramref name="until"/>).</summary>
    private static async Task<Dictionary<string, string>> WaitForAsync(HttpClient client, HttpStatusCode status, Func<Dictionary<string, string>, bool>? until = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await client.GetAsync("/debug/health");
            var body = JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;
            if (response.StatusCode == status && (until is null || until(body)))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/debug/health did not turn {(int)status} within {Patience.TotalSeconds} s: {(int)response.StatusCode} {JsonSerializer.Serialize(body)}");
            await Task.Delay(50);
        }
    }
}
