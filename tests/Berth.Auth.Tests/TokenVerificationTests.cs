using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Berth.Auth.Tests.Support;
using Berth.Server.Auth.Token;
using Microsoft.IdentityModel.Tokens;

namespace Berth.Auth.Tests;

/// <summary>auth.token as registry:2 verifies tokens from an external token server.</summary>
public sealed class TokenVerificationTests : IAsyncLifetime
{
    private const string Issuer = "test-issuer";
    private const string Service = "test-registry";

    private readonly TempDirectory _directory = new("berth-auth");
    private readonly TestPki _pki = new("token-root");
    private readonly TestPki _otherPki = new("not-trusted");
    private readonly RsaSecurityKey _jwksKey = TokenMint.NewRsaKey("jwks-key-1");
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        var bundle = _directory.Combine("root.pem");
        TestPki.WritePem(_pki.Ca, bundle);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_jwksKey.Rsa.ExportParameters(false)) { KeyId = "jwks-key-1" });
        var jwks = _directory.Combine("jwks.json");
        File.WriteAllText(jwks, JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, n = jwk.N, e = jwk.E, use = "sig" } } }));
        _registry = await AuthRegistry.StartAsync(_directory, $"""
            auth:
              token:
                realm: https://auth.example.com/token
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {bundle}
                jwks: {jwks}
            """);
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _pki.Dispose();
        _otherPki.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_request_without_a_token_gets_the_bearer_challenge_with_realm_service_and_scope()
    {
        using var client = _registry.Client();
        using var response = await client.GetAsync("v2/team-a/app/manifests/latest");
        await ErrorBody.AssertAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Bearer realm=\"https://auth.example.com/token\",service=\"test-registry\",scope=\"repository:team-a/app:pull\"", response.Headers.WwwAuthenticate.ToString());

        using var post = await client.PostAsync("v2/team-a/app/blobs/uploads/", null);
        Assert.Equal("Bearer realm=\"https://auth.example.com/token\",service=\"test-registry\",scope=\"repository:team-a/app:pull,push\"", post.Headers.WwwAuthenticate.ToString());

        using var catalog = await client.GetAsync("v2/_catalog");
        Assert.Contains("scope=\"registry:catalog:*\"", catalog.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_through_the_x5c_chain_grants_what_its_access_claim_says()
    {
        using var signer = _pki.IssueSigner("token-signer");
        var token = TokenMint.WithX5c(signer, Issuer, Service, [TokenMint.Access("repository", "team-a/app", "pull")]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "v2/", token));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, "v2/team-a/app/tags/list", token));

        using var response = await SendAsync(HttpMethod.Post, "v2/team-a/app/blobs/uploads/", token);
        await ErrorBody.AssertAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.EndsWith("scope=\"repository:team-a/app:pull,push\",error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "v2/team-b/app/tags/list", token));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "v2/_catalog", token));
    }

    [Fact]
    public async Task Keys_named_by_kid_are_found_in_the_jwks_file_and_among_the_root_certificates()
    {
        var fromJwks = TokenMint.Create(_jwksKey, SecurityAlgorithms.RsaSha256, Issuer, Service, [TokenMint.Access("repository", "x", "pull", "push")]);
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, "v2/x/blobs/uploads/", fromJwks));

        // registry:2 names a root certificate's key by its libtrust key ID.
        var rootKey = new ECDsaSecurityKey(_pki.Ca.GetECDsaPrivateKey()!) { KeyId = LibtrustKeyId.Of(_pki.Ca.GetECDsaPublicKey()!) };
        var fromRoot = TokenMint.Create(rootKey, SecurityAlgorithms.EcdsaSha256, Issuer, Service, [TokenMint.Access("registry", "catalog", "*")]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "v2/_catalog", fromRoot));

        var unknownKid = TokenMint.Create(TokenMint.NewRsaKey("jwks-key-1-lookalike"), SecurityAlgorithms.RsaSha256, Issuer, Service, [TokenMint.Access("repository", "x", "pull")]);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "v2/", unknownKid));
        var wrongKeySameKid = TokenMint.Create(TokenMint.NewRsaKey("jwks-key-1"), SecurityAlgorithms.RsaSha256, Issuer, Service, [TokenMint.Access("repository", "x", "pull")]);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "v2/", wrongKeySameKid));
    }

    [Fact]
    public async Task Expired_not_yet_valid_wrongly_signed_wrong_audience_wrong_issuer_and_unsigned_tokens_are_refused()
    {
        using var signer = _pki.IssueSigner("token-signer");
        using var stranger = _otherPki.IssueSigner("token-signer");
        object[] access = [TokenMint.Access("repository", "x", "pull")];
        var now = DateTime.UtcNow;
        var refused = new Dictionary<string, string>
        {
            ["expired"] = TokenMint.WithX5c(signer, Issuer, Service, access, now.AddMinutes(-10), now.AddMinutes(-2)),
            ["not yet valid"] = TokenMint.WithX5c(signer, Issuer, Service, access, now.AddMinutes(3), now.AddMinutes(10)),
            ["other CA"] = TokenMint.WithX5c(stranger, Issuer, Service, access),
            ["wrong audience"] = TokenMint.WithX5c(signer, Issuer, "another-registry", access),
            ["wrong issuer"] = TokenMint.WithX5c(signer, "evil-issuer", Service, access),
            ["alg none"] = TokenMint.Unsigned(Issuer, Service, access),
            ["garbage"] = "not.a.token",
        };

        // The same valid token passes, so each refusal is down to the one thing changed.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, "v2/x/tags/list", TokenMint.WithX5c(signer, Issuer, Service, access)));
        foreach (var (what, token) in refused)
        {
            using var response = await SendAsync(HttpMethod.Get, "v2/x/tags/list", token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
            Assert.EndsWith("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // Within registry:2's 60 s leeway, a just-expired token still passes.
        var justExpired = TokenMint.WithX5c(signer, Issuer, Service, access, now.AddMinutes(-5), now.AddSeconds(-20));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Get, "v2/x/tags/list", justExpired));
    }

    [Fact]
    public async Task A_cross_repository_mount_needs_pull_on_the_source_repository()
    {
        using var signer = _pki.IssueSigner("token-signer");
        var digest = "sha256:" + new string('a', 64);
        var pushOnly = TokenMint.WithX5c(signer, Issuer, Service, [TokenMint.Access("repository", "b", "pull", "push")]);
        using var refused = await SendAsync(HttpMethod.Post, $"v2/b/blobs/uploads/?mount={digest}&from=a", pushOnly);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("repository:a:pull", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var both = TokenMint.WithX5c(signer, Issuer, Service, [TokenMint.Access("repository", "b", "pull", "push"), TokenMint.Access("repository", "a", "pull")]);
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(HttpMethod.Post, $"v2/b/blobs/uploads/?mount={digest}&from=a", both));
    }

    [Fact]
    public async Task Delete_needs_the_delete_action_and_star_grants_every_action()
    {
        using var signer = _pki.IssueSigner("token-signer");
        var digest = "sha256:" + new string('b', 64);
        var pullPush = TokenMint.WithX5c(signer, Issuer, Service, [TokenMint.Access("repository", "x", "pull", "push")]);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Delete, $"v2/x/manifests/{digest}", pullPush));
        var star = TokenMint.WithX5c(signer, Issuer, Service, [TokenMint.Access("repository", "x", "*")]);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Delete, $"v2/x/manifests/{digest}", star));
    }

    [Fact]
    public async Task Verifying_a_token_never_fetches_certificates_from_urls_the_token_names()
    {
        // The x5c chain is checked against rootcertbundle alone: following a certificate's AIA URL would let anyone
        // without credentials make the registry send requests wherever they like, and wait on them.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var fetches = 0;
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var connection = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref fetches);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The listener stopped.
            }
        });

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=aia-signer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [$"http://{listener.LocalEndpoint}/issuer.cer"]));
        using var issued = request.Create(_otherPki.Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using var signer = issued.CopyWithPrivateKey(key);

        var token = TokenMint.WithX5c(signer, Issuer, Service, [TokenMint.Access("repository", "x", "pull")]);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, "v2/x/tags/list", token));
        listener.Stop();
        await accepting;
        Assert.Equal(0, fetches);
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string token)
    {
        using var response = await SendAsync(method, path, token);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token)
    {
        using var client = _registry.Client();
        using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        return await client.SendAsync(request);
    }
}
