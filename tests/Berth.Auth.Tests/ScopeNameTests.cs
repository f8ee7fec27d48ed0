using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Auth.Tests.Support;
using Berth.Server.Auth.Builtin;

namespace Berth.Auth.Tests;

/// <summary>
/// .NET's <c>$</c> matches before a final newline: "alice/app\n" must not pass as a repository name anywhere auth
/// reads one (scopes, policy globs).
/// </summary>
public sealed class ScopeNameTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("repository:team-a/app\n:pull,push")]
    [InlineData("repository:team-a/app\r\n:pull,push")]
    [InlineData("repository:team-a/app :pull,push")]
    public async Task The_token_endpoint_grants_nothing_for_a_name_with_a_trailing_newline_or_space(string scope)
    {
        await using var registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory));
        using var client = registry.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"auth/token?service={BuiltinConfig.Service}&scope={Uri.EscapeDataString(scope)}")
        {
            Headers = { Authorization = AuthRegistry.Basic("alice", "alice-pw-7f3a") },
        };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);

        using var document = JsonDocument.Parse(body);
        var payload = document.RootElement.GetProperty("token").GetString()!.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        Assert.Equal("[]", claims.RootElement.GetProperty("access").GetRawText());
    }

    [Fact]
    public void A_repository_glob_does_not_cover_a_name_with_a_trailing_newline()
    {
        var rule = new AccessRule("team-a", new HashSet<string> { "carol" }, new HashSet<string>(), false, ["team-a/*", "exact"], new HashSet<string> { "push" });

        Assert.True(rule.Covers("team-a/app"));
        Assert.True(rule.Covers("exact"));
        Assert.False(rule.Covers("team-a/app\n"));
        Assert.False(rule.Covers("exact\n"));
    }
}
