using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>auth.builtin: Berth as its own token server, with an access policy.</summary>
public sealed class BuiltinIssuerTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("berth-auth");
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory));

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_challenge_points_at_the_registrys_own_token_endpoint()
    {
        using var client = _registry.Client();
        using var response = await client.GetAsync("v2/team-a/app/tags/list");
        await ErrorBody.AssertAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(
            $"Bearer realm=\"{_registry.BaseAddress}auth/token\",service=\"{BuiltinConfig.Service}\",scope=\"repository:team-a/app:pull\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_token_response_follows_the_docker_token_spec()
    {
        using var client = _registry.Client();
        using var request = TokenRequest("scope=repository:team-a/app:pull,push", "alice", "alice-pw-7f3a");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("token").GetString()!;
        Assert.Equal(token, body.RootElement.GetProperty("access_token").GetString());
        Assert.Equal(300, body.RootElement.GetProperty("expires_in").GetInt32());
        var issuedAt = DateTimeOffset.Parse(body.RootElement.GetProperty("issued_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(issuedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var claims = Claims(token);
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal(BuiltinConfig.Service, claims.GetProperty("aud").GetString());
        Assert.Equal("berth-test-issuer", claims.GetProperty("iss").GetString());
        Assert.Equal(300, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal("""[{"type":"repository","name":"team-a/app","actions":["pull","push"]}]""", claims.GetProperty("access").GetRawText());
    }

    [Fact]
    public async Task The_policy_decides_what_each_user_may_do()
    {
        // alice: everything; bob: pull only; carol: team-a/* only; anonymous: public/* pull only.
        Assert.Equal(HttpStatusCode.Accepted, await PushStartAsync("alice", "alice-pw-7f3a", "team-b/app"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PushStartAsync("bob", "bob-pw-91c2", "team-a/app"));
        Assert.Equal(HttpStatusCode.Accepted, await PushStartAsync("carol", "carol-pw-55e0", "team-a/app"));
        Assert.Equal(HttpStatusCode.Accepted, await PushStartAsync("carol", "carol-pw-55e0", "team-a/deep/nested"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PushStartAsync("carol", "carol-pw-55e0", "team-b/app"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PushStartAsync("carol", "carol-pw-55e0", "team-a"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PushStartAsync(null, null, "public/app"));

        Assert.Equal("""[{"type":"repository","name":"team-b/app","actions":["pull"]}]""", (await AccessAsync("bob", "bob-pw-91c2", "repository:team-b/app:pull,push,delete")));
        Assert.Equal("[]", await AccessAsync("carol", "carol-pw-55e0", "repository:team-b/app:pull"));
        Assert.Equal("""[{"type":"repository","name":"public/app","actions":["pull"]}]""", await AccessAsync(null, null, "repository:public/app:pull,push"));
        Assert.Equal("[]", await AccessAsync(null, null, "repository:team-a/app:pull"));
        Assert.Equal("""[{"type":"registry","name":"catalog","actions":["*"]}]""", await AccessAsync("alice", "alice-pw-7f3a", "registry:catalog:*"));
        Assert.Equal("[]", await AccessAsync("bob", "bob-pw-91c2", "registry:catalog:*"));
    }

    [Fact]
    public async Task Wrong_passwords_at_the_token_endpoint_get_401_and_then_429()
    {
        using var client = _registry.Client();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.SendAsync(TokenRequest("scope=repository:x:pull", "alice", $"guess-{i}"));
            await ErrorBody.AssertAsync(wrong, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.StartsWith("Basic ", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using var throttled = await client.SendAsync(TokenRequest("scope=repository:x:pull", "alice", "alice-pw-7f3a"));
        await ErrorBody.AssertAsync(throttled, HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_token_for_another_service_is_not_issued()
    {
        using var client = _registry.Client();
        using var response = await client.SendAsync(TokenRequest("service=another&scope=repository:x:pull", "alice", "alice-pw-7f3a"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_signing_key_is_created_once_and_tokens_survive_a_restart()
    {
        var keyPath = _directory.Combine("keys", "token-signing.pem");
        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(keyPath), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }

        var token = await TokenAsync("alice", "alice-pw-7f3a", "repository:x:pull");
        var keyBefore = File.ReadAllText(keyPath);
        await using (var second = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory)))
        {
            using var client = second.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, "v2/x/tags/list") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(keyBefore, File.ReadAllText(keyPath));
    }

    private async Task<HttpStatusCode> PushStartAsync(string? user, string? password, string repository)
    {
        var token = await TokenAsync(user, password, $"repository:{repository}:pull,push");
        using var client = _registry.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> AccessAsync(string? user, string? password, string scope) =>
        Claims(await TokenAsync(user, password, scope)).GetProperty("access").GetRawText();

    private async Task<string> TokenAsync(string? user, string? password, string scope)
    {
        using var client = _registry.Client();
        using var response = await client.SendAsync(TokenRequest($"service={BuiltinConfig.Service}&scope={Uri.EscapeDataString(scope)}", user, password));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static HttpRequestMessage TokenRequest(string query, string? user, string? password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "auth/token?" + query);
        if (user is not null)
        {
            request.Headers.Authorization = AuthRegistry.Basic(user, password!);
        }

        return request;
    }

    private static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return document.RootElement.Clone();
    }
}
