using System.Security.Claims;
using Berth.Server.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Ui;

/// <summary>
/// What the caller of the UI's API may see and do, per repository, by the same rules as the registry API: without
/// auth, everything; with htpasswd, everything for a user in the file; with the built-in issuer, what its access policy
/// grants the token's subject (a UI token carries no scopes, it names the user); with an external token service, the
/// grants the token carries.
/// </summary>
internal sealed class UiAccess
{
    private readonly ClaimsPrincipal _user;
    private readonly AuthPipeline? _auth;

    private UiAccess(ClaimsPrincipal user, AuthPipeline? auth)
    {
        _user = user;
        _auth = auth;
    }

    public static UiAccess For(HttpContext context) => new(context.User, context.RequestServices.GetService<AuthPipeline>());

    /// <summary>True when the registry has auth configured (the UI then shows who is logged in).</summary>
    public bool AuthRequired => _auth is not null;

    public string? UserName => _user.Identity?.IsAuthenticated == true ? _user.Identity.Name : null;

    public bool CanPull(string repository) => Allows(repository, "pull");

    public bool CanDelete(string repository) => Allows(repository, "delete");

    private bool Allows(string repository, string action)
    {
        if (_auth is null)
        {
            return true;
        }

        if (RegistryClaims.Grant(_user, new AccessRecord(AccessRecord.Repository, repository, action)))
        {
            return true;
        }

        // An anonymous token (no subject) gets what the policy grants anyone.
        return _auth.Tokens is { } tokens && _user.Identity?.IsAuthenticated == true
            && tokens.Policy.Grant(UserName, AccessRecord.Repository, repository, [action]).Count > 0;
    }
}
