using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>http.prefix with the built-in issuer: the challenge's realm carries the prefix, and a token fetched there works.</summary>
public sealed class PrefixedRealmTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("berth-auth");
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync() =>
        _registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory, "http:\n  prefix: /registry/"));

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_realm_is_under_the_prefix_and_its_token_opens_the_prefixed_API()
    {
        using var client = _registry.Client();
        using var challenged = await client.GetAsync("registry/v2/team-a/app/tags/list");
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        var realm = $"{_registry.BaseAddress}registry/auth/token";
        Assert.StartsWith($"Bearer realm=\"{realm}\"", challenged.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"{realm}?service={BuiltinConfig.Service}&scope=repository:team-a/app:pull");
        tokenRequest.Headers.Authorization = AuthRegistry.Basic("alice", "alice-pw-7f3a");
        using var tokenResponse = await client.SendAsync(tokenRequest);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        using var body = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());

        using var authorized = new HttpRequestMessage(HttpMethod.Get, "registry/v2/team-a/app/tags/list");
        authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
        using var listed = await client.SendAsync(authorized);
        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        Assert.Contains("NAME_UNKNOWN", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
