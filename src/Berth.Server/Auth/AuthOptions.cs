using Berth.Core.Configuration;
using Berth.Server.Auth.Builtin;
using Berth.Server.Auth.Token;

namespace Berth.Server.Auth;

/// <summary>
/// The <c>auth</c> section: exactly one of registry:2's <c>htpasswd</c> and <c>token</c>, or Berth's
/// <c>builtin</c>. Anything else fails start-up: a registry that was meant to be locked must not start open.
/// </summary>
internal sealed record AuthOptions(HtpasswdOptions? Htpasswd, TokenOptions? Token, BuiltinOptions? Builtin)
{
    public static readonly AuthOptions None = new(null, null, null);

    public bool Enabled => Htpasswd is not null || Token is not null || Builtin is not null;

    public static AuthOptions Bind(RegistryConfiguration configuration)
    {
        if (configuration.Auth is not { } auth || !auth.Keys.Any())
        {
            return None;
        }

        var types = auth.Keys.ToList();
        if (types.Count > 1)
        {
            // registry:2: "must provide exactly one type".
            throw new ConfigurationException($"auth: more than one auth type is configured ({string.Join(", ", types)}); keep exactly one");
        }

        var type = types[0];
        var section = auth.GetSection(type) ?? throw auth.Error(type, "must be a section of keys");
        return type.ToLowerInvariant() switch
        {
            "htpasswd" => new AuthOptions(HtpasswdOptions.Bind(section), null, null),
            "token" => new AuthOptions(null, TokenOptions.Bind(section), null),
            "builtin" => new AuthOptions(null, null, BuiltinOptions.Bind(section, configuration.Tree)),
            _ => throw auth.Error(type, "is not an auth type Berth supports; use htpasswd, token or builtin"),
        };
    }
}
