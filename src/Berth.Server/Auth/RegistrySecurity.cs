using Berth.Core.Configuration;
using Berth.Server.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Auth;

/// <summary>
/// The registry's security, bound from <c>auth</c> and <c>http.tls</c> before the application is built (so a bad
/// key or file fails start-up) and wired into Kestrel and the request pipeline.
/// </summary>
public sealed class RegistrySecurity
{
    private readonly RegistryConfiguration _configuration;
    private readonly AuthOptions _auth;
    private readonly TlsOptions? _tls;

    private RegistrySecurity(RegistryConfiguration configuration, AuthOptions auth, TlsOptions? tls)
    {
        _configuration = configuration;
        _auth = auth;
        _tls = tls;
    }

    /// <summary>Binds the configuration and sets Kestrel's HTTPS defaults; call before any endpoint is configured.</summary>
    public static RegistrySecurity Configure(WebApplicationBuilder builder, RegistryConfiguration configuration)
    {
        var security = new RegistrySecurity(configuration, AuthOptions.Bind(configuration), TlsOptions.Bind(configuration));
        if (security._tls is { } tls)
        {
            // The slim builder leaves out HTTPS address support until asked.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => KestrelTls.Apply(https, tls)));
        }

        return security;
    }

    /// <summary>Serves a listener over TLS when <c>http.tls.certificate</c> is set.</summary>
    public void ConfigureListener(ListenOptions listener)
    {
        if (_tls is not null)
        {
            listener.UseHttps();
        }
    }

    /// <summary>Adds authentication after the registry middleware; creates the htpasswd file and signing key now, not on first request.</summary>
    public void UseAuthentication(WebApplication app)
    {
        if (!_auth.Enabled)
        {
            return;
        }

        var pipeline = AuthPipeline.Create(_auth, _configuration.Http, app.Services.GetRequiredService<ILoggerFactory>(), TimeProvider.System);
        app.UseMiddleware<AuthMiddleware>(pipeline);
    }

    /// <summary>Binds and checks <c>auth</c> and <c>http.tls</c> without starting anything (<c>berth config check</c>).</summary>
    public static void Validate(RegistryConfiguration configuration)
    {
        AuthOptions.Bind(configuration);
        TlsOptions.Bind(configuration);
    }

    /// <summary>True when any auth type is configured.</summary>
    public static bool RequiresAuthentication(RegistryConfiguration configuration) =>
        configuration.Auth is { } auth && auth.Keys.Any();

    /// <summary>True when clients send passwords to this process (htpasswd, or the built-in token endpoint).</summary>
    public static bool AcceptsPasswords(RegistryConfiguration configuration) =>
        configuration.Auth is { } auth && (auth.Has("htpasswd") || auth.Has("builtin"));

    /// <summary>True when the registry serves TLS itself.</summary>
    public static bool ServesTls(RegistryConfiguration configuration) =>
        configuration.Http.Tls is { } tls && tls.IsValue("certificate");
}
