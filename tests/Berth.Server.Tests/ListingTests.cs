using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Server.Tests.Infrastructure;

namespace Berth.Server.Tests;

/// <summary>tags/list and _catalog: lexically sorted, paginated with n/last and a Link rel="next" header.</summary>
public sealed partial class ListingTests
{
    [GeneratedRegex("^<(?<url>[^>]+)>;\\s*rel=\"next\"$")]
    private static partial Regex NextLink();

    [Fact]
    public async Task Tags_are_listed_sorted()
    {
        await using var registry = await RegistryFixture.StartAsync();
        var repository = Names.Repository();
        var image = await registry.Client.PushImageAsync(repository, "v2");
        foreach (var tag in new[] { "latest", "1.0", "v10", "A", "_x", "v1" })
        {
            (await registry.Client.PutManifestAsync(repository, tag, image.Manifest, image.MediaType)).Dispose();
        }

        using var response = await registry.Client.GetAsync($"v2/{repository}/tags/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(repository, body["name"]!.GetValue<string>());
        Assert.Equal(["1.0", "A", "_x", "latest", "v1", "v10", "v2"], Strings(body["tags"]));
        Assert.Null(response.HeaderOrNull("Link"));
    }

    [Fact]
    public async Task Tags_paginate_with_n_last_and_Link_until_the_end()
    {
        await using var registry = await RegistryFixture.StartAsync();
        var repository = Names.Repository();
        var image = await registry.Client.PushImageAsync(repository, "t0");
        var expected = new[] { "t0", "t1", "t2", "t3", "t4" };
        foreach (var tag in expected.Skip(1).Reverse())
        {
            (await registry.Client.PutManifestAsync(repository, tag, image.Manifest, image.MediaType)).Dispose();
        }

        var pages = await WalkAsync(registry.Client, $"v2/{repository}/tags/list?n=2", "tags");

        Assert.Equal([["t0", "t1"], ["t2", "t3"], ["t4"]], pages);
    }

    [Fact]
    public async Task Tags_after_last_start_after_that_tag()
    {
        await using var registry = await RegistryFixture.StartAsync();
        var repository = Names.Repository();
        var image = await registry.Client.PushImageAsync(repository, "a");
        foreach (var tag in new[] { "b", "c", "d" })
        {
            (await registry.Client.PutManifestAsync(repository, tag, image.Manifest, image.MediaType)).Dispose();
        }

        using var response = await registry.Client.GetAsync($"v2/{repository}/tags/list?last=b");

        Assert.Equal(["c", "d"], Strings(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["tags"]));
    }

    [Fact]
    public async Task Tags_of_an_unknown_repository_return_404_NAME_UNKNOWN()
    {
        await using var registry = await RegistryFixture.StartAsync();

        using var response = await registry.Client.GetAsync("v2/no/such/repository/tags/list");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Catalog_lists_repositories_sorted_and_paginates_with_Link()
    {
        await using var registry = await RegistryFixture.StartAsync();
        var repositories = new[] { "zeta", "alpha/one", "mid/dle/x", "alpha", "beta", "b2" };
        foreach (var repository in repositories)
        {
            await registry.Client.PushImageAsync(repository, "v1", layerCount: 1);
        }

        using var all = await registry.Client.GetAsync("v2/_catalog");
        var pages = await WalkAsync(registry.Client, "v2/_catalog?n=4", "repositories");

        var sorted = new[] { "alpha", "alpha/one", "b2", "beta", "mid/dle/x", "zeta" };
        Assert.Equal(sorted, Strings(JsonNode.Parse(await all.Content.ReadAsStringAsync())!["repositories"]));
        Assert.Equal([sorted[..4], sorted[4..]], pages);
    }

    [Fact]
    public async Task Catalog_of_an_empty_registry_is_an_empty_list()
    {
        await using var registry = await RegistryFixture.StartAsync();

        using var response = await registry.Client.GetAsync("v2/_catalog");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["repositories"]!.AsArray());
    }

    [Fact]
    public async Task Invalid_n_returns_400_PAGINATION_NUMBER_INVALID()
    {
        await using var registry = await RegistryFixture.StartAsync();

        using var response = await registry.Client.GetAsync("v2/_catalog?n=-1");

        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    /// <summary>Follows Link rel="next" from the first URL until a page has none; returns each page's list.</summary>
    private static async Task<List<string[]>> WalkAsync(HttpClient client, string first, string property)
    {
        var pages = new List<string[]>();
        Uri? next = new(client.BaseAddress!, first);
        for (var i = 0; next is not null && i < 20; i++)
        {
            using var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(Strings(JsonNode.Parse(await response.Content.ReadAsStringAsync())![property]));
            next = null;
            if (response.Headers.TryGetValues("Link", out var links))
            {
                var match = NextLink().Match(links.Single());
                Assert.True(match.Success, $"Link header '{links.Single()}' is not <url>; rel=\"next\"");
                next = new Uri(client.BaseAddress!, match.Groups["url"].Value);
            }
        }

        return pages;
    }

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
}
