using Microsoft.AspNetCore.Http;

namespace Berth.Server.Auth;

/// <summary>registry:2's auth.AccessController: decides whether a request may have the access it needs.</summary>
internal interface IAccessController
{
    ValueTask<AccessDecision> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRecord> access);
}
