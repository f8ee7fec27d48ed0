namespace Berth.Server.Tls;

/// <summary>registry:2 3.x's <c>http.tls.clientauth</c> values (Go's tls.ClientAuthType).</summary>
internal enum ClientAuthMode
{
    NoClientCert,
    RequestClientCert,
    RequireAnyClientCert,
    VerifyClientCertIfGiven,
    RequireAndVerifyClientCert,
}
