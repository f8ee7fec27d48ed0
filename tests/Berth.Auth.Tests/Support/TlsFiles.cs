using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Auth.Tests.Support;

/// <summary>
/// PEM files for http.tls made from test CAs (server CA and client CA), and HTTP clients that trust the server CA
/// and optionally present a client certificate.
/// </summary>
internal sealed class TlsFiles : IDisposable
{
    public TlsFiles(TempDirectory directory)
    {
        ServerPki = new TestPki("berth-test-server-ca");
        ClientPki = new TestPki("berth-test-client-ca");
        Directory.CreateDirectory(directory.Combine("certs"));
        Certificate = directory.Combine("certs", "server.crt");
        Key = directory.Combine("certs", "server.key");
        ClientCa = directory.Combine("certs", "client-ca.crt");
        CertDir = directory.Combine("certs", "trust");
        Directory.CreateDirectory(CertDir);
        using var server = ServerPki.IssueServer();
        TestPki.WritePem(server, Certificate, Key);
        TestPki.WritePem(ClientPki.Ca, ClientCa);

        // skopeo's --cert-dir: ca.crt is trusted as a CA.
        TestPki.WritePem(ServerPki.Ca, Path.Combine(CertDir, "ca.crt"));
    }

    public TestPki ServerPki { get; }

    public TestPki ClientPki { get; }

    public string Certificate { get; }

    public string Key { get; }

    public string ClientCa { get; }

    public string CertDir { get; }

    public HttpClient Client(Uri baseAddress, X509Certificate2? clientCertificate = null, SslProtocols protocols = SslProtocols.None)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 leaf && IssuedBy(leaf, ServerPki.Ca),
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose()
    {
        ServerPki.Dispose();
        ClientPki.Dispose();
    }

    private static bool IssuedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
