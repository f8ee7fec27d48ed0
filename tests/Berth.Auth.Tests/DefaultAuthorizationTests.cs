using System.Net;
using Berth.Auth.Tests.Support;
using Berth.Core.Storage.Filesystem;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Berth.Auth.Tests;

/// <summary>With auth on, every endpoint needs credentials unless it opts out by name.</summary>
public sealed class DefaultAuthorizationTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_endpoint_added_after_the_registry_is_refused_without_credentials_and_served_with_them()
    {
        var htpasswd = HtpasswdLines.Write(_directory.Combine("htpasswd"), ("alice", "alice-secret-1"));
        var configuration = AuthRegistry.Configuration(_directory, $"""
            auth:
              htpasswd:
                realm: test-realm
                path: {htpasswd}
            """);
        await using var app = RegistryApplication.Build(
            configuration, new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = _directory.Combine("store") }), urls: "http://127.0.0.1:0");
        app.MapGet("/extensions/secret-list", () => "secret list");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var anonymous = await client.GetAsync("/extensions/secret-list");
        await ErrorBody.AssertAsync(anonymous, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Basic realm=\"test-realm\"", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal("registry/2.0", anonymous.Headers.GetValues("Docker-Distribution-API-Version").Single());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/extensions/secret-list") { Headers = { Authorization = AuthRegistry.Basic("alice", "alice-secret-1") } };
        using var signedIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_health_check_and_the_token_endpoint_stay_open()
    {
        Directory.CreateDirectory(_directory.Combine("store"));
        await using var registry = await AuthRegistry.StartAsync(_directory, BuiltinConfig.Write(_directory));
        using var client = registry.Client();

        using var health = await client.GetAsync("debug/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var token = await client.GetAsync($"auth/token?service={BuiltinConfig.Service}&scope=repository:public/app:pull");
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }
}
