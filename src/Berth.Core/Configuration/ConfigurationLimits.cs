namespace Berth.Core.Configuration;

/// <summary>
/// The longest durations the schedules and the collector can use. Longer ones are start-up errors: an interval past
/// what <see cref="Task.Delay(TimeSpan)"/> and <see cref="PeriodicTimer"/> accept (about 49 days) would fault the
/// background service and stop the registry at its first wait, and a grace or quarantine period reaching back before
/// year 1 would fail every collection.
/// </summary>
public static class ConfigurationLimits
{
    public static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1000);

    public static readonly TimeSpan LongestRetention = TimeSpan.FromHours(87600);

    /// <summary>The value, or a start-up error naming <paramref name="key"/> when it is longer than <paramref name="limit"/>.</summary>
    public static TimeSpan AtMost(ConfigSection section, string key, TimeSpan value, TimeSpan limit) =>
        value <= limit ? value : throw section.Error(key, $"'{section.GetString(key)}' is too long: use at most {limit.TotalHours}h");
}
