using Berth.Server.Health;

namespace Berth.Server.Tests;

/// <summary>registry:2's thresholdUpdater: failing after N consecutive failures, passing at the first success.</summary>
public sealed class HealthThresholdTests
{
    [Fact]
    public async Task A_check_with_threshold_three_fails_on_the_third_consecutive_failure_and_recovers_at_once()
    {
        var fail = true;
        var check = new HealthCheck("probe", TimeSpan.FromSeconds(1), 3, _ => fail ? throw new IOException("down") : Task.CompletedTask);

        await check.RunAsync(CancellationToken.None);
        await check.RunAsync(CancellationToken.None);
        Assert.Null(check.Failure);
        Assert.True(await check.RunAsync(CancellationToken.None));
        Assert.Equal("down", check.Failure);
        await check.RunAsync(CancellationToken.None);
        Assert.Equal("down", check.Failure);

        fail = false;
        Assert.True(await check.RunAsync(CancellationToken.None));
        Assert.Null(check.Failure);

        fail = true;
        await check.RunAsync(CancellationToken.None);
        Assert.Null(check.Failure);
    }

    [Fact]
    public async Task A_check_without_threshold_fails_at_the_first_failure()
    {
        var check = new HealthCheck("probe", TimeSpan.FromSeconds(1), 0, _ => throw new IOException("down"));

        Assert.True(await check.RunAsync(CancellationToken.None));
        Assert.Equal("down", check.Failure);
    }
}
