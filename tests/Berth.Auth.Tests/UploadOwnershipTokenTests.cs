using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Auth.Tests.Support;

namespace Berth.Auth.Tests;

/// <summary>
/// Upload sessions under auth.token: a token without a subject (an external token server may issue one, say to a
/// CI job) is a caller too, and must not continue a session another user opened.
/// </summary>
public sealed class UploadOwnershipTokenTests : IAsyncLifetime
{
    private const string Issuer = "test-issuer";
    private const string Service = "test-registry";

    private readonly TempDirectory _directory = new("berth-upload-owner-token");
    private readonly TestPki _pki = new("token-root");
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var bundle = _directory.Combine("root.pem");
        TestPki.WritePem(_pki.Ca, bundle);
        _registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              token:
                realm: https://auth.example.com/token
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {bundle}
            """);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _pki.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_token_without_a_subject_cannot_touch_a_session_alice_opened()
    {
        using var signer = _pki.IssueSigner("token-signer");
        var access = new[] { TokenMint.Access("repository", "shared/app", "pull", "push", "delete") };
        using var alice = Client(TokenMint.WithX5c(signer, Issuer, Service, access, subject: "alice"));
        using var nobody = Client(TokenMint.WithX5c(signer, Issuer, Service, access, subject: null));
        await UploadSessionProbe.AssertOnlyTheOpenerCanUseAsync(_registry.BaseAddress, alice, nobody, "shared/app");
    }

    private HttpClient Client(string token)
    {
        var client = _registry.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
