using System.Net;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>
/// X-Forwarded-Host/-Proto choose where docker clients send passwords (the token realm) and where uploads go
/// (Location): they count only from a proxy named in http.trustedproxies.
/// </summary>
public sealed class ForwardedHeaderTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_client_do_not_choose_the_token_realm()
    {
        await using var registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory));
        using var response = await GetWithForwardedAsync(registry, "v2/team-a/app/tags/list", "evil.example", "https");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith($"Bearer realm=\"{registry.BaseAddress}auth/token\"", RawChallenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_client_do_not_shape_the_upload_location()
    {
        var htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-secret-1"));
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {htpasswd}
            """);
        using var client = registry.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/team-a/app/blobs/uploads/") { Headers = { Authorization = AuthRegistry.Basic("alice", "alice-secret-1") } };
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith($"{registry.BaseAddress}v2/team-a/app/blobs/uploads/", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_headers_from_a_trusted_proxy_set_the_realm_and_the_client_address()
    {
        await using var registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory) + """

            http:
              trustedproxies: [127.0.0.1]
            """);
        using var response = await GetWithForwardedAsync(registry, "v2/team-a/app/tags/list", "registry.example", "https");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer realm=\"https://registry.example/auth/token\"", RawChallenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_proxy_that_is_not_an_address_fails_start_up_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<Berth.Core.Configuration.ConfigurationException>(async () =>
            await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory) + """

                http:
                  trustedproxies: [not-an-address]
                """));
        Assert.Contains("http.trustedproxies (REGISTRY_HTTP_TRUSTEDPROXIES)", error.Message, StringComparison.Ordinal);
    }

    internal static string RawChallenge(HttpResponseMessage response) =>
        string.Join(", ", response.Headers.NonValidated["WWW-Authenticate"]);

    private static async Task<HttpResponseMessage> GetWithForwardedAsync(AuthRegistry registry, string path, string host, string proto)
    {
        using var client = registry.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-Host", host);
        request.Headers.Add("X-Forwarded-Proto", proto);
        return await client.SendAsync(request);
    }
}
