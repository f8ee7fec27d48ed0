using Berth.Server.Auth.Htpasswd;

namespace Berth.Server.Auth.Builtin;

/// <summary>Everything the built-in token endpoint needs: users, throttle, policy, issuer.</summary>
internal sealed record TokenService(HtpasswdFile Users, LoginThrottle Throttle, AccessPolicy Policy, TokenIssuer Issuer, string Service);
