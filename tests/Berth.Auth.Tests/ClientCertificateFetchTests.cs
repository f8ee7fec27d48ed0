using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Auth.Tests.Support;
using Xunit.Abstractions;

namespace Berth.Auth.Tests;

/// <summary>
/// A client certificate is chosen by whoever connects; checking it must never make the registry fetch the AIA URLs it
/// names (a server-side request forgery during the TLS handshake).
/// </summary>
public sealed class ClientCertificateFetchTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("")]
    [InlineData("clientauth: require-any-client-cert")]
    [InlineData("clientauth: verify-client-cert-if-given")]
    public async Task Checking_a_client_certificate_never_fetches_the_urls_it_names(string clientAuth)
    {
        using var directory = new TempDirectory("berth-auth");
        using var tls = new TlsFiles(directory);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var fetches = 0;
        var accepting = Task.Run(async () =>
        {
            try { while (true) { using var c = await listener.AcceptTcpClientAsync(); Interlocked.Increment(ref fetches); } }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        await using var registry = await AuthRegistry.StartAsync(directory, $"""
            http:
              tls:
                certificate: {tls.Certificate}
                key: {tls.Key}
                clientcas:
                  - {tls.ClientCa}
                {clientAuth}
            """, scheme: "https");
        using var stranger = new TestPki("someone-elses-ca");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=aia-client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [$"http://{listener.LocalEndpoint}/issuer.cer"]));
        using var issued = request.Create(stranger.Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using var cert = issued.CopyWithPrivateKey(key);
        var handler = new SocketsHttpHandler { SslOptions = new System.Net.Security.SslClientAuthenticationOptions {
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null,
            ClientCertificateContext = System.Net.Security.SslStreamCertificateContext.Create(cert, null, offline: true) } };
        using var client = new HttpClient(handler) { BaseAddress = registry.BaseAddress };
        var started = DateTime.UtcNow;
        try { output.WriteLine($"status {(await client.GetAsync("v2/")).StatusCode}"); } catch (HttpRequestException e) { output.WriteLine("refused " + e.Message); }
        output.WriteLine($"took {(DateTime.UtcNow - started).TotalMilliseconds} ms");
        listener.Stop();
        await accepting;
        output.WriteLine($"fetches {fetches}");
        Assert.Equal(0, fetches);
    }
}
