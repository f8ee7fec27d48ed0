using System.Net;
using System.Text.RegularExpressions;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

public sealed class HtpasswdTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("berth-auth");
    private AuthRegistry _registry = null!;
    private string _htpasswd = null!;

    public async Task InitializeAsync()
    {
        _htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-secret-1"));
        _registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {_htpasswd}
                throttle:
                  failures: 4
                  window: 1m
            """);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Anonymous_request_gets_401_with_a_basic_challenge_and_the_spec_error()
    {
        using var client = _registry.Client();
        foreach (var path in new[] { "v2/", "v2/_catalog", "v2/some/repo/tags/list", "v2/some/repo/manifests/latest" })
        {
            using var response = await client.GetAsync(path);
            await ErrorBody.AssertAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.Equal("Basic realm=\"test-realm\"", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
        }
    }

    [Theory]
    [InlineData("V2/_catalog")]
    [InlineData("V2/some/repo/tags/list")]
    [InlineData("v2/../V2/_catalog")]
    public async Task Paths_spelled_another_way_never_get_around_auth(string path)
    {
        using var client = _registry.Client();
        using var response = await client.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, $"{path} answered {response.StatusCode}");
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_are_refused_and_the_right_password_is_accepted()
    {
        using var client = _registry.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "v2/", "alice", "not-her-password"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "v2/", "mallory", "alice-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "alice", "alice-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/_catalog", "alice", "alice-secret-1"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, "v2/nothing/here/tags/list", "alice", "alice-secret-1"));
    }

    [Fact]
    public async Task Entries_made_by_apache_htpasswd_are_accepted()
    {
        File.AppendAllText(_htpasswd, Environment.NewLine + await HtpasswdLines.FromApacheToolAsync("dave", "dave-secret-4") + Environment.NewLine);
        await Task.Delay(1100);
        using var client = _registry.Client();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "dave", "dave-secret-4"));
    }

    [Fact]
    public async Task Changes_to_the_file_take_effect_without_a_restart()
    {
        using var client = _registry.Client();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "alice", "alice-secret-1"));

        // alice's password changes and bob arrives; the old password is remembered by the verification cache,
        // which must be dropped with the old file.
        HtpasswdLines.Write(_htpasswd, ("alice", "alice-secret-2"), ("bob", "bob-secret-1"));
        await Task.Delay(1100);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "v2/", "alice", "alice-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "alice", "alice-secret-2"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "bob", "bob-secret-1"));
    }

    [Fact]
    public async Task A_user_removed_by_swapping_a_symlinked_file_can_no_longer_log_in()
    {
        // How Kubernetes updates a mounted Secret: htpasswd -> ..data/htpasswd, and ..data is re-pointed at a new
        // directory. The link itself never changes, so the file must be followed to notice.
        using var directory = new TempDirectory("berth-auth");
        HtpasswdLines.Write(Directory.CreateDirectory(directory.Combine("..v1")).FullName + "/htpasswd", ("alice", "alice-secret-1"), ("bob", "bob-secret-1"));
        File.CreateSymbolicLink(directory.Combine("..data"), "..v1");
        File.CreateSymbolicLink(directory.Combine("htpasswd"), "..data/htpasswd");
        await using var registry = await AuthRegistry.StartAsync(directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {directory.Combine("htpasswd")}
            """);
        using var client = registry.Client();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "bob", "bob-secret-1"));

        HtpasswdLines.Write(Directory.CreateDirectory(directory.Combine("..v2")).FullName + "/htpasswd", ("alice", "alice-secret-1"), ("carol", "carol-secret-1"));
        File.CreateSymbolicLink(directory.Combine("..data.tmp"), "..v2");
        (await ExternalProcess.RunAsync("mv", ["-T", directory.Combine("..data.tmp"), directory.Combine("..data")], TimeSpan.FromSeconds(30))).EnsureSuccess("mv");
        await Task.Delay(1100);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "v2/", "bob", "bob-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "carol", "carol-secret-1"));
    }

    [Fact]
    public async Task Failed_logins_are_throttled_per_address_with_429_and_retry_after()
    {
        using var client = _registry.Client();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "v2/", "alice", $"guess-{i}"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/") { Headers = { Authorization = AuthRegistry.Basic("alice", "alice-secret-1") } };
        using var response = await client.SendAsync(request);
        await ErrorBody.AssertAsync(response, HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task Failed_logins_from_one_ipv6_network_count_together_and_ipv4_clients_stay_apart()
    {
        // One IPv6 host is usually given a whole /64; counting each address alone would hand it 2^64 fresh starts.
        using var directory = new TempDirectory("berth-auth");
        var path = HtpasswdLines.Write(directory.Combine("htpasswd"), ("alice", "alice-secret-1"));
        await using var registry = await AuthRegistry.StartAsync(directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {path}
                throttle:
                  failures: 4
            """, configure: ClientAddresses.Install);
        using var client = registry.Client();
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusFromAsync(client, $"2001:db8:1:2::{i}", "alice", $"guess-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusFromAsync(client, "::ffff:192.0.2.1", "alice", $"guess-{i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusFromAsync(client, "2001:db8:1:2:abcd::99", "alice", "alice-secret-1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusFromAsync(client, "192.0.2.1", "alice", "alice-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await StatusFromAsync(client, "2001:db8:1:3::1", "alice", "alice-secret-1"));
        Assert.Equal(HttpStatusCode.OK, await StatusFromAsync(client, "::ffff:192.0.2.2", "alice", "alice-secret-1"));
    }

    private static async Task<HttpStatusCode> StatusFromAsync(HttpClient client, string address, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/") { Headers = { Authorization = AuthRegistry.Basic(user, password) } };
        request.Headers.Add(ClientAddresses.Header, address);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_missing_file_is_created_with_user_docker_and_the_password_logged_once()
    {
        using var directory = new TempDirectory("berth-auth");
        var path = directory.Combine("auth", "htpasswd");
        await using var registry = await AuthRegistry.StartAsync(directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {path}
            """);

        Assert.StartsWith("docker:$2", File.ReadAllText(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        var match = Regex.Match(registry.Log.Text, @"user docker and password (?<password>[A-Za-z0-9_-]{20,})");
        Assert.True(match.Success, registry.Log.Text);
        var password = match.Groups["password"].Value;

        using var client = registry.Client();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "docker", password));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "v2/", "docker", password));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "v2/", "docker", password + "x"));
        Assert.Single(registry.Log.Text.Split('\n'), line => line.Contains(password, StringComparison.Ordinal));
    }

    internal static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = AuthRegistry.Basic(user, password) } };
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
