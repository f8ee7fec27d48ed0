using System.Net;
using System.Security.Authentication;
using Berth.Auth.Tests.Support;
using Berth.Core.Configuration;
using Berth.Core.Storage.Filesystem;
using Berth.Server.Hosting;

namespace Berth.Auth.Tests;

/// <summary>http.tls: certificate and key from PEM files, minimumtls, and mutual TLS with clientcas.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");
    private readonly TlsFiles _tls;

    public TlsTests() => _tls = new TlsFiles(_directory);

    public void Dispose()
    {
        _tls.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_registry_serves_https_with_the_configured_certificate()
    {
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            http:
              tls:
                certificate: {_tls.Certificate}
                key: {_tls.Key}
            """, scheme: "https");
        using var client = _tls.Client(registry.BaseAddress);
        using var response = await client.GetAsync("v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Minimumtls_13_refuses_a_tls_12_client()
    {
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            http:
              tls:
                certificate: {_tls.Certificate}
                key: {_tls.Key}
                minimumtls: tls1.3
            """, scheme: "https");
        using var tls12 = _tls.Client(registry.BaseAddress, protocols: SslProtocols.Tls12);
        await Assert.ThrowsAsync<HttpRequestException>(() => tls12.GetAsync("v2/"));
        using var tls13 = _tls.Client(registry.BaseAddress, protocols: SslProtocols.Tls13);
        Assert.Equal(HttpStatusCode.OK, (await tls13.GetAsync("v2/")).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("clientauth: require-and-verify-client-cert")]
    public async Task Mutual_tls_refuses_clients_without_a_certificate_from_clientcas(string clientAuth)
    {
        // registry:2 2.8 reads clientcas alone as "require and verify"; 3.x spells it out with clientauth.
        await using var registry = await AuthRegistry.StartAsync(_directory, $"""
            http:
              tls:
                certificate: {_tls.Certificate}
                key: {_tls.Key}
                clientcas:
                  - {_tls.ClientCa}
                {clientAuth}
            """, scheme: "https");

        using var anonymous = _tls.Client(registry.BaseAddress);
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync("v2/"));

        using var stranger = new TestPki("someone-elses-ca");
        using var strangerCertificate = stranger.IssueClient("mallory");
        using var wrongCa = _tls.Client(registry.BaseAddress, strangerCertificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.GetAsync("v2/"));

        using var certificate = _tls.ClientPki.IssueClient("ci-robot");
        using var client = _tls.Client(registry.BaseAddress, certificate);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v2/")).StatusCode);
    }

    [Theory]
    [InlineData("certificate: /nonexistent/server.crt\n    key: /nonexistent/server.key", "http.tls.certificate (REGISTRY_HTTP_TLS_CERTIFICATE)")]
    [InlineData("certificate: CERT\n    key: KEY\n    minimumtls: tls1.0", "http.tls.minimumtls (REGISTRY_HTTP_TLS_MINIMUMTLS)")]
    [InlineData("certificate: CERT\n    key: KEY\n    clientauth: require-and-verify-client-cert", "http.tls.clientcas (REGISTRY_HTTP_TLS_CLIENTCAS)")]
    [InlineData("certificate: CERT\n    key: KEY\n    clientauth: sometimes", "http.tls.clientauth (REGISTRY_HTTP_TLS_CLIENTAUTH)")]
    public void Bad_tls_settings_fail_start_up_naming_the_key_and_variable(string tlsKeys, string expected)
    {
        var yaml = "http:\n  tls:\n    " + tlsKeys.Replace("CERT", _tls.Certificate, StringComparison.Ordinal).Replace("KEY", _tls.Key, StringComparison.Ordinal);
        var configuration = AuthRegistry.Configuration(_directory, yaml);
        var error = Assert.Throws<ConfigurationException>(() => RegistryApplication.Build(
            configuration, new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = _directory.Combine("store") }), urls: "https://127.0.0.1:0"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
