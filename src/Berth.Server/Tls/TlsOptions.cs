using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Configuration;
using Berth.Server.Auth;

namespace Berth.Server.Tls;

/// <summary>
/// registry:2's <c>http.tls</c>: <c>certificate</c> and <c>key</c> (PEM files; the certificate file may carry the
/// chain), <c>clientcas</c> (PEM files of CAs for client certificates), <c>clientauth</c> and <c>minimumtls</c>.
/// Files are read at start-up so a bad path or key fails there, naming the key.
/// </summary>
internal sealed record TlsOptions(
    X509Certificate2 Certificate, X509Certificate2Collection Chain, X509Certificate2Collection ClientCas, ClientAuthMode ClientAuth, SslProtocols Protocols)
{
    public static TlsOptions? Bind(RegistryConfiguration configuration)
    {
        if (configuration.Http.Tls is not { } tls || !tls.IsValue("certificate"))
        {
            return null;
        }

        var certificatePath = tls.GetRequiredString("certificate");
        var keyPath = tls.GetRequiredString("key");
        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            chain.ImportFromPemFile(certificatePath);
            chain.RemoveAt(0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw tls.Error("certificate", $"cannot load {certificatePath} with key {keyPath}: {e.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            throw tls.Error("key", $"{keyPath} holds no private key for {certificatePath}");
        }

        var clientCas = new X509Certificate2Collection();
        foreach (var path in ConfigLists.Read(configuration.Tree, tls, "clientcas"))
        {
            try
            {
                var before = clientCas.Count;
                clientCas.ImportFromPemFile(path);
                if (clientCas.Count == before)
                {
                    throw new CryptographicException("no PEM certificate in the file");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw tls.Error("clientcas", $"cannot load {path}: {e.Message}");
            }
        }

        // registry:2 2.8 requires and verifies client certificates whenever clientcas is set; 3.x says so explicitly.
        var clientAuth = (tls.GetString("clientauth") ?? string.Empty).ToLowerInvariant() switch
        {
            "" => clientCas.Count > 0 ? ClientAuthMode.RequireAndVerifyClientCert : ClientAuthMode.NoClientCert,
            "no-client-cert" => ClientAuthMode.NoClientCert,
            "request-client-cert" => ClientAuthMode.RequestClientCert,
            "require-any-client-cert" => ClientAuthMode.RequireAnyClientCert,
            "verify-client-cert-if-given" => ClientAuthMode.VerifyClientCertIfGiven,
            "require-and-verify-client-cert" => ClientAuthMode.RequireAndVerifyClientCert,
            var other => throw tls.Error("clientauth", $"'{other}' is not one of no-client-cert, request-client-cert, require-any-client-cert, verify-client-cert-if-given, require-and-verify-client-cert"),
        };
        if (clientAuth is ClientAuthMode.VerifyClientCertIfGiven or ClientAuthMode.RequireAndVerifyClientCert && clientCas.Count == 0)
        {
            throw tls.Error("clientcas", $"is required when clientauth is {tls.GetString("clientauth")}: the CAs that issue client certificates");
        }

        var protocols = (tls.GetString("minimumtls") ?? "tls1.2").ToLowerInvariant() switch
        {
            "tls1.2" or "" => SslProtocols.Tls12 | SslProtocols.Tls13,
            "tls1.3" => SslProtocols.Tls13,
            "tls1.0" or "tls1.1" => throw tls.Error("minimumtls", "TLS 1.0 and 1.1 are broken and not offered; use tls1.2 or tls1.3"),
            var other => throw tls.Error("minimumtls", $"'{other}' is not one of tls1.2, tls1.3"),
        };

        return new TlsOptions(certificate, chain, clientCas, clientAuth, protocols);
    }
}
