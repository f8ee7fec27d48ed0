using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth;

/// <summary>
/// Meets each <see cref="RegistryAccessRequirement"/> whose access records the caller's claims grant. The records come
/// from the route parsed once for the request (<c>IRegistryRouteFeature</c>), computed once for all four requirements.
/// </summary>
internal sealed class RegistryAccessHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        // Anything but an HTTP request is no registry request this handler can judge: its requirements stay unmet.
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        var records = AccessRecords.For(http);
        foreach (var requirement in context.PendingRequirements.OfType<RegistryAccessRequirement>().ToList())
        {
            if (records.All(r => !requirement.Covers(r) || RegistryClaims.Grant(context.User, r)))
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
