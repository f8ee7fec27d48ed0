using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Server.Tls;

/// <summary>Applies <see cref="TlsOptions"/> to Kestrel's HTTPS defaults, including mutual TLS against clientcas.</summary>
internal static class KestrelTls
{
    public static void Apply(HttpsConnectionAdapterOptions https, TlsOptions tls)
    {
        https.ServerCertificate = tls.Certificate;
        if (tls.Chain.Count > 0)
        {
            https.ServerCertificateChain = tls.Chain;
        }

        https.SslProtocols = tls.Protocols;

        // A client certificate is chosen by whoever connects: never fetch the AIA URLs it names while checking it.
        https.OnAuthenticate = (_, options) => options.CertificateChainPolicy = new X509ChainPolicy
        {
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        https.ClientCertificateMode = tls.ClientAuth switch
        {
            ClientAuthMode.NoClientCert => ClientCertificateMode.NoCertificate,
            ClientAuthMode.RequestClientCert or ClientAuthMode.VerifyClientCertIfGiven => ClientCertificateMode.AllowCertificate,
            _ => ClientCertificateMode.RequireCertificate,
        };
        https.ClientCertificateValidation = tls.ClientAuth is ClientAuthMode.VerifyClientCertIfGiven or ClientAuthMode.RequireAndVerifyClientCert
            ? (certificate, _, _) => IssuedByClientCa(certificate, tls.ClientCas)
            : (_, _, _) => true;
    }

    private static bool IssuedByClientCa(X509Certificate2 certificate, X509Certificate2Collection clientCas)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(clientCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;

        // Go's VerifyClientCertIfGiven/RequireAndVerify check the client-auth extended key usage.
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }
}
