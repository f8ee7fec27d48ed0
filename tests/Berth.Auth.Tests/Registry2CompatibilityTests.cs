using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Berth.Auth.Tests.Support;
using Berth.Core.Configuration;
using Berth.Core.Storage.Filesystem;
using Berth.Server.Hosting;

namespace Berth.Auth.Tests;

/// <summary>The same config.yml, htpasswd file and PEM files work under Debian's registry:2 and under Berth (JIT and native).</summary>
public sealed class Registry2CompatibilityTests : IDisposable
{
    private readonly TempDirectory _directory = new("berth-auth");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task One_config_with_htpasswd_tls_and_clientcas_behaves_the_same_under_registry2_and_berth()
    {
        using var tls = new TlsFiles(_directory);
        var htpasswd = _directory.Combine("htpasswd");
        File.WriteAllText(htpasswd, await HtpasswdLines.FromApacheToolAsync("alice", "alice-pw-7f3a") + "\n");
        var port = FreePort();
        var configPath = _directory.Combine("config.yml");
        File.WriteAllText(configPath, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {_directory.Combine("store")}
            http:
              addr: 127.0.0.1:{port}
              tls:
                certificate: {tls.Certificate}
                key: {tls.Key}
                minimumtls: tls1.2
                clientcas:
                  - {tls.ClientCa}
            auth:
              htpasswd:
                realm: shared-realm
                path: {htpasswd}
            """);

        using var clientCertificate = tls.ClientPki.IssueClient("ci-robot");
        var registry2 = StartServer("/usr/bin/docker-registry", "serve", configPath);
        try
        {
            await AssertBehaviourAsync(tls, new Uri($"https://127.0.0.1:{port}/"), clientCertificate, registry2);
        }
        finally
        {
            registry2.Kill(entireProcessTree: true);
            await registry2.WaitForExitAsync();
            registry2.Dispose();
        }

        var configuration = ConfigurationLoader.Load(configPath, []);
        await using var berth = RegistryApplication.Build(configuration, new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = _directory.Combine("store") }));
        await berth.StartAsync();
        await AssertBehaviourAsync(tls, new Uri($"https://127.0.0.1:{port}/"), clientCertificate, null);
        await berth.StopAsync();

        // The native executable users run (scripts/test.sh publishes it and names it in BERTH_BINARY): TLS with client
        // certificates, bcrypt htpasswd and the challenge behave as on the JIT build, with nothing bound by reflection.
        if (Environment.GetEnvironmentVariable("BERTH_BINARY") is { Length: > 0 } native)
        {
            var process = StartServer(native, "serve", configPath);
            try
            {
                await AssertBehaviourAsync(tls, new Uri($"https://127.0.0.1:{port}/"), clientCertificate, process);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static async Task AssertBehaviourAsync(TlsFiles tls, Uri baseAddress, System.Security.Cryptography.X509Certificates.X509Certificate2 clientCertificate, Process? process)
    {
        using var client = tls.Client(baseAddress, clientCertificate);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpResponseMessage? anonymous = null;
        while (anonymous is null)
        {
            try
            {
                anonymous = await client.GetAsync("v2/");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && process is not { HasExited: true })
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic realm=\"shared-realm\"", anonymous.Headers.WwwAuthenticate.ToString());
        anonymous.Dispose();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "alice", "alice-pw-7f3a"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "alice", "wrong"));

        using var noCertificate = tls.Client(baseAddress);
        await Assert.ThrowsAsync<HttpRequestException>(() => noCertificate.GetAsync("v2/"));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/") { Headers = { Authorization = AuthRegistry.Basic(user, password) } };
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static Process StartServer(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
