using Berth.Core.Configuration;

namespace Berth.Server.Auth;

/// <summary>
/// Failed-login throttling (a Berth extension): <c>auth.&lt;type&gt;.throttle.failures</c> (default 10, 0 turns it
/// off) and <c>throttle.window</c> (default 1m).
/// </summary>
internal sealed record ThrottleOptions(int Failures, TimeSpan Window)
{
    public static readonly ThrottleOptions Default = new(10, TimeSpan.FromMinutes(1));

    public static ThrottleOptions Bind(ConfigSection? throttle) => throttle is null
        ? Default
        : new ThrottleOptions(
            throttle.GetInt("failures", Default.Failures, min: 0, max: 1_000_000),
            throttle.GetDuration("window", Default.Window));
}
