using System.Net;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>http.headers from config.yml are added to every response, as registry:2 does.</summary>
public sealed class ConfiguredHeaderTests
{
    [Fact]
    public async Task Configured_headers_appear_on_successes_and_errors()
    {
        await using var registry = await RegistryFixture.StartAsync(new RegistrySettings
        {
            Headers = new Dictionary<string, string> { ["X-Content-Type-Options"] = "nosniff", ["X-Berth-Test"] = "yes" },
        });

        using var ok = await registry.Client.GetAsync("v2/");
        using var notFound = await registry.Client.GetAsync($"v2/{Names.Repository()}/blobs/{Digests.Unknown()}");
        using var invalid = await registry.Client.GetAsync("v2/BAD/tags/list");

        foreach (var response in new[] { ok, notFound, invalid })
        {
            Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
            Assert.Equal("yes", response.Header("X-Berth-Test"));
        }

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }
}
