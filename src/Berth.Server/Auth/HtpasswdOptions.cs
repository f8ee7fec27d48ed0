using Berth.Core.Configuration;

namespace Berth.Server.Auth;

/// <summary>registry:2's <c>auth.htpasswd</c>: <c>realm</c>, <c>path</c>; plus Berth's <c>throttle</c>.</summary>
internal sealed record HtpasswdOptions(string Realm, string Path, ThrottleOptions Throttle)
{
    public static HtpasswdOptions Bind(ConfigSection section) => new(
        section.GetString("realm") is { Length: > 0 } realm ? realm : "Registry Realm",
        section.GetRequiredString("path"),
        ThrottleOptions.Bind(section.GetSection("throttle")));
}
