using Berth.Core.Configuration;
using Berth.Server.Diagnostics;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Infrastructure;

/// <summary>
/// One real registry: Kestrel on 127.0.0.1:0 and the filesystem driver over a temporary directory (or the Azure
/// driver on the real Azurite emulator when BERTH_TEST_STORAGE=azure). Test classes
/// share one through IClassFixture; a test that needs other settings, another clock or a restart on the same
/// directory starts its own with <see cref="StartAsync"/>.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly RegistrySettings _settings;
    private readonly bool _ownsStore;
    private readonly TimeProvider? _time;
    private readonly Action<IServiceCollection>? _services;
    private WebApplication? _app;
    private HttpClient? _client;

    public RegistryFixture()
        : this(new RegistrySettings(), store: null, time: null, services: null)
    {
    }

    private RegistryFixture(RegistrySettings settings, TemporaryStore? store, TimeProvider? time, Action<IServiceCollection>? services)
    {
        _services = services;
        _settings = settings;
        _ownsStore = store is null;
        Store = store ?? new TemporaryStore();
        _time = time;
    }

    public TemporaryStore Store { get; }

    /// <summary>Every response this fixture's client received, for assertions about headers on all of them.</summary>
    public ResponseRecorder Recorder { get; } = new();

    public HttpClient Client => _client ?? throw new InvalidOperationException("the registry has not started");

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The http.debug listener's base address, when the settings asked for one.</summary>
    public Uri DebugAddress => _app!.Services.GetRequiredService<DebugListener>().EndPoint is { } endPoint
        ? new Uri($"http://{endPoint}/")
        : throw new InvalidOperationException("the debug listener is not bound");

    public RegistryServices Services => _app!.Services.GetRequiredService<RegistryServices>();

    /// <summary>Any service of the running registry, for tests that drive the core beside the HTTP API.</summary>
    public T Resolve<T>()
        where T : notnull => _app!.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts a registry. Pass the <paramref name="store"/> of an earlier registry to serve the same directory (the
    /// caller then owns it); pass <paramref name="time"/> to drive upload timestamps and purging by hand, and
    /// <paramref name="services"/> to add registrations (an event handler) after the registry's own.
    /// </summary>
    public static async Task<RegistryFixture> StartAsync(
        RegistrySettings? settings = null, TemporaryStore? store = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var fixture = new RegistryFixture(settings ?? new RegistrySettings(), store, time, services);
        await fixture.StartAsync();
        return fixture;
    }

    public async Task StartAsync()
    {
        var configuration = ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument(_settings.ToYaml(Store.Root), "test"), "test");
        var driver = await TestStorage.CreateDriverAsync(Store.Root);
        var time = _time;
        // A registry with a debug listener listens where its configuration says (127.0.0.1:0), and on that listener.
        _app = RegistryApplication.Build(configuration, driver, urls: _settings.DebugListener ? null : "http://127.0.0.1:0", configure: builder =>
        {
            if (time is not null)
            {
                // The last registration wins: the same services, on the test's clock.
                builder.Services.AddSingleton(time);
            }

            _services?.Invoke(builder.Services);
        });
        await _app.StartAsync();
        _client = new HttpClient(new RecordingHandler(Recorder, new SocketsHttpHandler { AllowAutoRedirect = false }))
        {
            BaseAddress = new Uri(MainUrl().TrimEnd('/') + (_settings.Prefix?.TrimEnd('/') ?? string.Empty) + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    private string MainUrl()
    {
        if (!_settings.DebugListener)
        {
            return _app!.Urls.First();
        }

        var debugPort = DebugAddress.Port;
        return _app!.Urls.First(url => new Uri(url).Port != debugPort);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_ownsStore)
        {
            Store.Dispose();
        }
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
