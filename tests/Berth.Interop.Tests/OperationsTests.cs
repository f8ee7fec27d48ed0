using System.Net;
using System.Text.Json;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// The real berth process as operators run it: behind Debian's nginx under http.prefix, pushed to and pulled from
/// with skopeo, logging JSON lines with registry:2's field names and the configured static fields.
/// </summary>
public sealed class OperationsTests : IAsyncLifetime
{
    private const string Prefix = "/registry/";

    private readonly TempDirectory _temp = new();
    private RegistryProcess _berth = null!;
    private NginxProxy _nginx = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var config = RegistryProcess.WriteConfig(_temp.Path, _temp.Combine("store"), port, $"""
              prefix: {Prefix}
            """);
        File.WriteAllText(config, File.ReadAllText(config).Replace(
            "log:\n  level: info", "log:\n  level: info\n  formatter: json\n  fields:\n    service: berth-test\n    zone: [a, b]", StringComparison.Ordinal));
        _berth = await RegistryProcess.StartBerthAsync(config, port, readyPath: "registry/v2/");
        _nginx = await NginxProxy.StartAsync(_temp, port, Prefix);
    }

    public async Task DisposeAsync()
    {
        await _nginx.DisposeAsync();
        await _berth.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Skopeo_pushes_and_pulls_through_nginx_to_a_registry_under_a_prefix()
    {
        var source = new OciLayout(_temp.Combine("src"));
        var manifestDigest = source.AddImage("v1", layerCount: 2, layerBytes: 200_000, seed: 11);

        await Skopeo.CopyAsync(source.Reference("v1"), $"docker://{_nginx.Host}/team/app:v1");
        await Skopeo.CopyAsync($"docker://{_nginx.Host}/team/app:v1", $"oci:{_temp.Combine("back")}:v1");

        var pushed = await Skopeo.InspectRawAsync($"docker://{_nginx.Host}/team/app:v1");
        Assert.Equal(manifestDigest, OciLayout.Sha256(System.Text.Encoding.UTF8.GetBytes(pushed)));
        SkopeoPushPullSuite.AssertSameBlobs(_temp.Combine("src"), _temp.Combine("back"));

        // Nothing is served beside the prefix on the registry itself.
        using var client = new HttpClient();
        using var outside = await client.GetAsync(new Uri(_berth.BaseUri, "v2/"));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task Every_line_is_json_and_access_lines_carry_registry2_fields_the_request_id_and_the_static_fields()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{_nginx.Host}/") };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("ops-test/1.0");
        using var named = new HttpRequestMessage(HttpMethod.Get, "v2/") { Headers = { { "X-Request-Id", "deploy-42.a:b_c" } } };
        using var namedResponse = await client.SendAsync(named);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "v2/_catalog?n=5&sig=SECRETSIGNATURE");
        forged.Headers.TryAddWithoutValidation("X-Request-Id", "x\" level=\"error");
        using var forgedResponse = await client.SendAsync(forged);

        Assert.Equal("deploy-42.a:b_c", namedResponse.Headers.GetValues("X-Request-Id").Single());
        var generated = forgedResponse.Headers.GetValues("X-Request-Id").Single();
        Assert.True(Guid.TryParse(generated, out _), $"an unsafe X-Request-Id is replaced by a new id, not echoed: {generated}");

        var lines = await WaitForLogAsync(log => log.Contains(generated, StringComparison.Ordinal));
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(entries, entry =>
        {
            Assert.True(entry.TryGetProperty("time", out _));
            Assert.True(entry.TryGetProperty("level", out _));
            Assert.True(entry.TryGetProperty("msg", out _));
            Assert.Equal("berth-test", entry.GetProperty("service").GetString());
            Assert.Equal(["a", "b"], entry.GetProperty("zone").EnumerateArray().Select(z => z.GetString()!));
        });

        var access = entries.Single(e => e.TryGetProperty("http.request.id", out var id) && id.GetString() == "deploy-42.a:b_c");
        Assert.Equal("response completed", access.GetProperty("msg").GetString());
        Assert.Equal("info", access.GetProperty("level").GetString());
        Assert.Equal("GET", access.GetProperty("http.request.method").GetString());
        Assert.Equal("/registry/v2/", access.GetProperty("http.request.uri").GetString());
        Assert.Equal(200, access.GetProperty("http.response.status").GetInt32());
        Assert.Equal(2, access.GetProperty("http.response.written").GetInt64());
        Assert.EndsWith("s", access.GetProperty("http.response.duration").GetString(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", access.GetProperty("http.request.remoteaddr").GetString());
        Assert.Equal("ops-test/1.0", access.GetProperty("http.request.useragent").GetString());

        // A query that carries a signature is never written to the log.
        var signed = entries.Single(e => e.TryGetProperty("http.request.id", out var id) && id.GetString() == generated);
        Assert.Equal("/registry/v2/_catalog", signed.GetProperty("http.request.uri").GetString());
        Assert.DoesNotContain("SECRETSIGNATURE", _berth.Log, StringComparison.Ordinal);
    }

    private async Task<List<string>> WaitForLogAsync(Func<string, bool> done)
    {
        // Console output is written by the logger's own thread, a moment after the response.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!done(_berth.Log) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return _berth.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
