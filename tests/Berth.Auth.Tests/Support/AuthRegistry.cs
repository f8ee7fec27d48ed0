using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Configuration;
using Berth.Core.Storage.Filesystem;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Berth.Auth.Tests.Support;

/// <summary>
/// A real registry in this process: Kestrel on 127.0.0.1:0 over a temporary directory, configured from config.yml
/// text like a user's, with its log captured.
/// </summary>
internal sealed class AuthRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AuthRegistry(WebApplication app, TempDirectory directory, CapturedLog log)
    {
        _app = app;
        Directory = directory;
        Log = log;
        BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    public TempDirectory Directory { get; }

    public CapturedLog Log { get; }

    public Uri BaseAddress { get; }

    /// <summary>host:port as image references name it.</summary>
    public string Host => BaseAddress.Authority;

    /// <summary>Starts a registry; <paramref name="sections"/> is config.yml text for auth (and http.tls under an http: key).</summary>
    public static async Task<AuthRegistry> StartAsync(TempDirectory directory, string sections, string scheme = "http", Action<WebApplicationBuilder>? configure = null)
    {
        var configuration = Configuration(directory, sections);
        var log = new CapturedLog();
        var app = RegistryApplication.Build(
            configuration,
            new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = directory.Combine("store") }),
            urls: $"{scheme}://127.0.0.1:0",
            configure: builder =>
            {
                builder.Logging.AddProvider(log);
                configure?.Invoke(builder);
            });
        await app.StartAsync();
        return new AuthRegistry(app, directory, log);
    }

    public static RegistryConfiguration Configuration(TempDirectory directory, string sections)
    {
        var yaml = $"""
            version: 0.1
            log:
              level: debug
            storage:
              filesystem:
                rootdirectory: {directory.Combine("store")}
              delete:
                enabled: true
            {sections}
            """;
        return ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument(yaml, "test"), "test");
    }

    public HttpClient Client(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
