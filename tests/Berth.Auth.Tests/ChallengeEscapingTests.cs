using System.Net;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>A quote or backslash in a challenge parameter is escaped (RFC 9110 quoted-string), as registry:2's %q does.</summary>
public sealed class ChallengeEscapingTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_quote_and_a_backslash_in_the_htpasswd_realm_are_escaped()
    {
        var htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-secret-1"));
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              htpasswd:
                realm: 'say "hi" \ bye'
                path: {htpasswd}
            """);
        using var client = registry.Client();
        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"say \\\"hi\\\" \\\\ bye\"", ForwardedHeaderTests.RawChallenge(response));
    }

    [Fact]
    public async Task A_quote_in_the_token_realm_and_service_is_escaped()
    {
        await using var registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory).Replace(
            $"service: {BuiltinConfig.Service}", $"service: {BuiltinConfig.Service}\n    realm: 'https://auth.example/token\",evil=\"x'", StringComparison.Ordinal));
        using var client = registry.Client();
        using var response = await client.GetAsync("v2/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer realm=\"https://auth.example/token\\\",evil=\\\"x\",service=\"{BuiltinConfig.Service}\"", ForwardedHeaderTests.RawChallenge(response));
    }
}
