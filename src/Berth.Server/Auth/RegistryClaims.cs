using System.Security.Claims;

namespace Berth.Server.Auth;

/// <summary>
/// What an authenticated caller may do, as claims on <c>HttpContext.User</c>: one <see cref="Access"/> claim
/// per granted action, <c>repository:team-a/app:push</c>, or <see cref="Everything"/> for an htpasswd user
/// (registry:2's htpasswd controller lets any user in the file do anything).
/// </summary>
internal static class RegistryClaims
{
    public const string Access = "berth:access";
    public const string Everything = "*";

    public static Claim Granting(string type, string name, string action) => new(Access, $"{type}:{name}:{action}");

    /// <summary>
    /// Whether <paramref name="user"/> holds <paramref name="record"/>; <c>*</c> among a resource's actions grants each.
    /// Record names are validated repository names (no ':'), so the joined form names exactly one grant.
    /// </summary>
    public static bool Grant(ClaimsPrincipal user, AccessRecord record) =>
        user.HasClaim(Access, Everything)
        || user.HasClaim(Access, record.ToString())
        || user.HasClaim(Access, $"{record.Type}:{record.Name}:*");
}
