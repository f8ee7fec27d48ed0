using Berth.Core.Configuration;

namespace Berth.Core.Tests.Configuration;

/// <summary>
/// Durations of storage.gc, retention and upload purging that the schedulers cannot wait, or the collector cannot
/// subtract from now, fail start-up naming their key, instead of stopping a serving registry a minute later (an
/// interval longer than Task.Delay and PeriodicTimer accept faults the background service, which stops the host) or
/// failing every collection (a grace period reaching before year 1).
/// </summary>
public sealed class CollectionConfigurationTests
{
    private const string Base = "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /r\n";

    [Theory]
    [InlineData("  gc:\n    interval: 1200h\n", "storage.gc.interval")]
    [InlineData("  gc:\n    graceperiod: 100000000h\n", "storage.gc.graceperiod")]
    [InlineData("  gc:\n    graceperiod: 99999999999999999999999h\n", "storage.gc.graceperiod")]
    [InlineData("  gc:\n    quarantine: 100000000h\n", "storage.gc.quarantine")]
    [InlineData("  maintenance:\n    uploadpurging:\n      interval: 1200h\n", "storage.maintenance.uploadpurging.interval")]
    [InlineData("retention:\n  interval: 1200h\n", "retention.interval")]
    public void A_duration_too_long_to_wait_or_subtract_fails_start_up_naming_its_key(string yaml, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => Bind(yaml));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_longest_accepted_durations_are_ones_the_schedulers_can_wait_and_the_collector_can_subtract()
    {
        var configuration = Bind(
            $"  gc:\n    interval: {ConfigurationLimits.LongestInterval.TotalHours}h\n    graceperiod: {ConfigurationLimits.LongestRetention.TotalHours}h\n" +
            $"    quarantine: {ConfigurationLimits.LongestRetention.TotalHours}h\n" +
            $"retention:\n  interval: {ConfigurationLimits.LongestInterval.TotalHours}h\n");
        var gc = configuration.Storage.GarbageCollection;

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(gc.Interval, cancelled.Token));
        using (new PeriodicTimer(configuration.Retention.Interval))
        {
        }

        Assert.True(DateTimeOffset.UtcNow - gc.GracePeriod - gc.Quarantine > DateTimeOffset.MinValue);
    }

    private static RegistryConfiguration Bind(string yaml) =>
        ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument(Base + yaml, "test"), "test");
}
