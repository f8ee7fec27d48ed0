using Berth.Core.Configuration;
using Berth.Server.Auth.Builtin;
using Berth.Server.Auth.Htpasswd;
using Berth.Server.Auth.Token;
using Berth.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Auth;

/// <summary>
/// What the configured auth type needs, built once: the Basic scheme (htpasswd) or the Bearer scheme (token,
/// builtin) and, with the built-in issuer, the token service behind /auth/token.
/// </summary>
internal sealed partial class AuthPipeline(HtpasswdScheme? basic, BearerScheme? bearer, TokenService? tokens, ILogger logger)
{
    public HtpasswdScheme? Basic => basic;

    public BearerScheme? Bearer => bearer;

    public TokenService? Tokens => tokens;

    public ILogger Logger => logger;

    /// <summary>The authentication scheme that guards the registry.</summary>
    public static string SchemeFor(AuthOptions options) =>
        options.Htpasswd is not null ? BasicAuthenticationHandler.SchemeName : BearerAuthenticationHandler.SchemeName;

    public static AuthPipeline Create(AuthOptions options, HttpOptions http, ILoggerFactory loggers, TimeProvider time)
    {
        var logger = loggers.CreateLogger("Berth.Auth");
        if (options.Htpasswd is { } htpasswd)
        {
            var users = new HtpasswdFile(htpasswd.Path, logger, time);
            return new AuthPipeline(new HtpasswdScheme(new PasswordLogin(users, new LoginThrottle(htpasswd.Throttle, time)), htpasswd.Realm), null, null, logger);
        }

        if (options.Token is { } token)
        {
            var verifier = new TokenVerifier(token.Issuer, token.Service, token.Keys, time);
            return new AuthPipeline(null, new BearerScheme(verifier, _ => token.Realm, token.Service), null, logger);
        }

        var builtin = options.Builtin ?? throw new InvalidOperationException("no auth type is configured");
        SigningKey key;
        if (builtin.SigningKeyPath is { } path)
        {
            bool created;
            try
            {
                (key, created) = SigningKey.LoadOrCreate(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new ConfigurationException($"auth.builtin.signingkey (REGISTRY_AUTH_BUILTIN_SIGNINGKEY): cannot use {path}: {e.Message}");
            }

            if (created)
            {
                LogSigningKeyCreated(logger, path);
            }
        }
        else
        {
            key = SigningKey.Ephemeral();
            LogEphemeralKey(logger);
        }

        var service = new TokenService(
            new PasswordLogin(new HtpasswdFile(builtin.Htpasswd, logger, time), new LoginThrottle(builtin.Throttle, time)),
            builtin.Policy,
            new TokenIssuer(key, builtin.Issuer, builtin.Service, builtin.Expiration, time),
            builtin.Service);

        // Without a configured realm, the token endpoint is addressed as the client addressed us, or as a proxy named in
        // http.trustedproxies says it was addressed: never from headers anyone else sends.
        var urlOptions = new HttpOptions { Host = http.Host };
        Func<HttpContext, string> realm = builtin.Realm is { } fixedRealm
            ? _ => fixedRealm
            : context => RegistryUrls.Absolute(context, urlOptions, TokenEndpoint.Path);
        var builtinVerifier = new TokenVerifier(builtin.Issuer, builtin.Service, TrustedKeys.Single(key.KeyId, key.Key), time);
        return new AuthPipeline(null, new BearerScheme(builtinVerifier, realm, builtin.Service), service, logger);
    }

    [LoggerMessage(EventId = 440, Level = LogLevel.Warning, Message = "token signing key {Path} did not exist; created a new EC P-256 key there")]
    private static partial void LogSigningKeyCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 441, Level = LogLevel.Warning, Message = "auth.builtin.signingkey is not set: tokens are signed with a key that lives only as long as this process (set it to keep tokens valid across restarts and instances)")]
    private static partial void LogEphemeralKey(ILogger logger);
}
