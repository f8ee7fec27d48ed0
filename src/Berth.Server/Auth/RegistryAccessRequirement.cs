using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Auth;

/// <summary>
/// One registry action a request may need (pull, push, delete, catalog), judged by <see cref="RegistryAccessHandler"/>
/// against the access records of the request's route. A requirement the request does not need is met.
/// </summary>
internal sealed class RegistryAccessRequirement : IAuthorizationRequirement
{
    public static readonly RegistryAccessRequirement Pull = new("pull");
    public static readonly RegistryAccessRequirement Push = new("push");
    public static readonly RegistryAccessRequirement Delete = new("delete");
    public static readonly RegistryAccessRequirement Catalog = new("catalog");

    /// <summary>
    /// The fallback policy: every endpoint, present and future, needs a caller and every action its route needs,
    /// unless it opts out with <c>AllowAnonymous()</c>.
    /// </summary>
    public static readonly AuthorizationPolicy Policy = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .AddRequirements(Pull, Push, Delete, Catalog)
        .Build();

    private RegistryAccessRequirement(string action) => Action = action;

    public string Action { get; }

    public bool Covers(AccessRecord record) => this == Catalog
        ? record is { Type: "registry", Name: "catalog" }
        : record.Type == AccessRecord.Repository && record.Action == Action;

    public override string ToString() => Action;
}
