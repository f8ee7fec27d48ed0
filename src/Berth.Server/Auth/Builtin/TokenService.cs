using Berth.Server.Auth.Htpasswd;

namespace Berth.Server.Auth.Builtin;

/// <summary>Everything the built-in token endpoint needs: the login check, policy, issuer.</summary>
internal sealed record TokenService(PasswordLogin Login, AccessPolicy Policy, TokenIssuer Issuer, string Service);
