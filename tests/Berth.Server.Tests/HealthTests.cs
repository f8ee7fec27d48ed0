using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_check_passes_on_an_empty_store()
    {
        await using var registry = await RegistryFixture.StartAsync();

        using var response = await registry.Client.GetAsync("debug/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_check_fails_with_503_naming_the_driver_when_storage_is_gone()
    {
        await using var registry = await RegistryFixture.StartAsync();
        await TestStorage.RemoveStoreAsync(registry.Store.Root);

        using var response = await registry.Client.GetAsync("debug/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains($"storagedriver_{registry.Services.Driver.Name}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
