using System.Text;
using Berth.Core.Storage;

namespace Berth.Core.Collection;

/// <summary>
/// Serving registries leave a heartbeat in the store (<c>_berth/instances/&lt;id&gt;</c>, rewritten every minute), so
/// the offline <c>garbage-collect</c> can tell that a registry is serving the store it is about to sweep and keep
/// what that registry's pushes touched.
/// </summary>
public sealed class ServingInstances(IStorageDriver driver)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMinutes(1);

    /// <summary>A heartbeat older than this belongs to a registry that stopped (or is cut off from the store).</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Writes the heartbeat, but only into a store that has registry content: a store with nothing to collect needs
    /// none, and a root that vanished (an unmounted volume) must stay missing for the health check to see it.
    /// </summary>
    public async Task<bool> BeatAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (await driver.StatAsync(RegistryPaths.Root, cancellationToken) is null)
        {
            return false;
        }

        await driver.PutContentAsync(
            $"{RegistryPaths.InstancesRoot}/{instanceId}",
            Encoding.UTF8.GetBytes($"{Environment.MachineName} {Environment.ProcessId}\n"),
            cancellationToken);
        return true;
    }

    public Task RemoveAsync(string instanceId, CancellationToken cancellationToken = default) =>
        driver.DeleteAsync($"{RegistryPaths.InstancesRoot}/{instanceId}", cancellationToken);

    /// <summary>Instances whose heartbeat is younger than <see cref="LiveWindow"/> at <paramref name="now"/>.</summary>
    public async Task<List<(string Instance, DateTimeOffset LastSeen)>> FindLiveAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var live = new List<(string, DateTimeOffset)>();
        foreach (var name in await driver.ListAsync(RegistryPaths.InstancesRoot, cancellationToken) ?? [])
        {
            if (await driver.StatAsync($"{RegistryPaths.InstancesRoot}/{name}", cancellationToken) is { IsDirectory: false } entry &&
                now - entry.LastModified < LiveWindow)
            {
                live.Add((name, entry.LastModified));
            }
        }

        return live;
    }
}
