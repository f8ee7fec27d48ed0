using Berth.Core.Configuration;
using Berth.Server.Auth.Builtin;
using Berth.Server.Auth.Htpasswd;
using Berth.Server.Auth.Token;
using Berth.Server.Tls;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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
    private readonly TrustedProxies _proxies;

    private RegistrySecurity(RegistryConfiguration configuration, AuthOptions auth, TlsOptions? tls, TrustedProxies proxies)
    {
        _configuration = configuration;
        _auth = auth;
        _tls = tls;
        _proxies = proxies;
    }

    /// <summary>Binds the configuration and sets Kestrel's HTTPS defaults; call before any endpoint is configured.</summary>
    public static RegistrySecurity Configure(WebApplicationBuilder builder, RegistryConfiguration configuration)
    {
        var security = new RegistrySecurity(configuration, AuthOptions.Bind(configuration), TlsOptions.Bind(configuration), TrustedProxies.Bind(configuration));
        if (security._tls is { } tls)
        {
            // The slim builder leaves out HTTPS address support until asked.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => KestrelTls.Apply(https, tls)));
        }

        builder.Services.Configure<ForwardedHeadersOptions>(security._proxies.Apply);
        if (security._auth.Enabled)
        {
            var auth = security._auth;
            builder.Services.AddSingleton(services => AuthPipeline.Create(auth, configuration.Http, services.GetRequiredService<ILoggerFactory>(), TimeProvider.System));
            var scheme = AuthPipeline.SchemeFor(auth);
            var authentication = builder.Services.AddAuthentication(scheme);
            if (scheme == BasicAuthenticationHandler.SchemeName)
            {
                authentication.AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(scheme, null);
            }
            else
            {
                authentication.AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(scheme, null);
            }

            builder.Services.AddAuthorization(options =>
            {
                options.DefaultPolicy = RegistryAccessRequirement.Policy;
                options.FallbackPolicy = RegistryAccessRequirement.Policy;
            });
            builder.Services.AddSingleton<IAuthorizationHandler, RegistryAccessHandler>();
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

    /// <summary>
    /// Adds forwarded headers from trusted proxies, then authentication and authorization, after the registry middleware
    /// (so refusals get the API version header and the access log); maps the built-in token endpoint. Creates the
    /// htpasswd file and signing key now, not on first request.
    /// </summary>
    public void UseSecurity(WebApplication app)
    {
        if (_proxies.Any)
        {
            app.UseForwardedHeaders();
        }

        if (!_auth.Enabled)
        {
            return;
        }

        var pipeline = app.Services.GetRequiredService<AuthPipeline>();
        app.UseAuthentication();
        app.UseAuthorization();
        if (pipeline.Tokens is { } tokens)
        {
            // The one endpoint that must stay open: clients come here for the credentials everything else needs.
            app.Map(TokenEndpoint.Path, (HttpContext context) => TokenEndpoint.HandleAsync(context, tokens, pipeline.Logger)).AllowAnonymous();
        }
    }

    /// <summary>Binds and checks <c>auth</c> and <c>http.tls</c> without starting anything (<c>berth config check</c>).</summary>
    public static void Validate(RegistryConfiguration configuration)
    {
        AuthOptions.Bind(configuration);
        TlsOptions.Bind(configuration);
        TrustedProxies.Bind(configuration);
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
