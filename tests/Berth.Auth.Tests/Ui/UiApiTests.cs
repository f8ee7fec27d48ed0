using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Auth.Tests.Support;
using Berth.Core.Configuration;
using Berth.Core.Storage.Filesystem;
using Berth.Server.Hosting;

namespace Berth.Auth.Tests.Ui;

/// <summary>The UI's JSON API over HTTP: who sees what, what a delete needs, and that it reads what storage holds.</summary>
public sealed class UiApiTests(UiRegistryFixture fixture) : IClassFixture<UiRegistryFixture>
{
    [Fact]
    public async Task Root_answers_probes_with_an_empty_200_and_browsers_with_the_ui_under_a_self_only_policy()
    {
        using var client = fixture.Registry.Client();
        using var probe = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Empty(await probe.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, probe.Content.Headers.ContentLength);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var html = await client.SendAsync(page);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("src=\"/ui/app.js\"", await html.Content.ReadAsStringAsync());
        var policy = string.Join(' ', html.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
    }

    [Fact]
    public async Task The_api_needs_a_login_and_its_refusal_carries_no_challenge_a_browser_would_prompt_for()
    {
        using var client = fixture.Registry.Client();
        using var response = await client.GetAsync("/api/v1/repositories");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("WWW-Authenticate"));

        // The UI's login asks the token endpoint with its header: a wrong password must not open the browser's dialog.
        using var login = new HttpRequestMessage(HttpMethod.Get, "/auth/token") { Headers = { Authorization = AuthRegistry.Basic("alice", "wrong") } };
        login.Headers.Add("X-Berth-Request", "ui");
        using var refused = await client.SendAsync(login);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("WWW-Authenticate"));
        using var registryClientLogin = new HttpRequestMessage(HttpMethod.Get, "/auth/token") { Headers = { Authorization = AuthRegistry.Basic("alice", "wrong") } };
        using var challenged = await client.SendAsync(registryClientLogin);
        Assert.True(challenged.Headers.Contains("WWW-Authenticate"));

        using var asset = await client.GetAsync("/ui/app.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }

    [Fact]
    public async Task A_user_sees_and_reads_only_the_repositories_the_policy_lets_them_pull()
    {
        using var carol = await LoggedInAsync("carol", "carol-pw-55e0");
        var page = await carol.GetFromJsonAsync<JsonElement>("/api/v1/repositories?per_page=1000");
        var names = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Contains("team-a/app", names);
        Assert.DoesNotContain("team-b/tool", names);
        Assert.Equal(0, (await carol.GetFromJsonAsync<JsonElement>("/api/v1/repositories?q=tool")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await carol.GetAsync("/api/v1/tags?repository=team-b/tool")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carol.GetAsync("/api/v1/image?repository=team-b/tool&reference=2.0")).StatusCode);

        using var alice = await LoggedInAsync("alice", "alice-pw-7f3a");
        var tags = await alice.GetFromJsonAsync<JsonElement>("/api/v1/tags?repository=team-b/tool");
        Assert.Equal("2.0", tags.GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_delete_needs_the_ui_header_and_the_delete_grant()
    {
        var host = fixture.Registry.Host;
        (await Skopeo.PushAsync(fixture.Layout.Reference("tool"), $"docker://{host}/team-a/guarded:v1", UiRegistryFixture.Alice)).EnsureSuccess("push");
        using var alice = await LoggedInAsync("alice", "alice-pw-7f3a");
        using var carol = await LoggedInAsync("carol", "carol-pw-55e0");
        const string Path = "/api/v1/tags?repository=team-a/guarded&tag=v1";

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.DeleteAsync(Path)).StatusCode);
        carol.DefaultRequestHeaders.Add("X-Berth-Request", "ui");
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.DeleteAsync(Path)).StatusCode);
        Assert.Equal(1, (await alice.GetFromJsonAsync<JsonElement>("/api/v1/tags?repository=team-a/guarded")).GetProperty("total").GetInt32());

        alice.DefaultRequestHeaders.Add("X-Berth-Request", "ui");
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync(Path)).StatusCode);
        Assert.Equal(0, (await alice.GetFromJsonAsync<JsonElement>("/api/v1/tags?repository=team-a/guarded")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_repository_removes_every_tag_and_manifest()
    {
        var host = fixture.Registry.Host;
        (await Skopeo.PushAsync(fixture.Layout.Reference("app"), $"docker://{host}/team-a/gone:a", UiRegistryFixture.Alice)).EnsureSuccess("push a");
        (await Skopeo.PushAsync(fixture.Layout.Reference("tool"), $"docker://{host}/team-a/gone:b", UiRegistryFixture.Alice)).EnsureSuccess("push b");
        using var alice = await LoggedInAsync("alice", "alice-pw-7f3a");
        alice.DefaultRequestHeaders.Add("X-Berth-Request", "ui");

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/v1/repositories?repository=team-a/gone")).StatusCode);

        Assert.Equal(0, (await alice.GetFromJsonAsync<JsonElement>("/api/v1/tags?repository=team-a/gone")).GetProperty("total").GetInt32());
        using var manifest = await alice.GetAsync($"/api/v1/image?repository=team-a/gone&reference={fixture.AppDigest}");
        Assert.Equal(HttpStatusCode.NotFound, manifest.StatusCode);
        Assert.NotEqual(0, (await Skopeo.PullAsync($"docker://{host}/team-a/gone@{fixture.AppDigest}", $"oci:{fixture.Scratch("gone")}:a", UiRegistryFixture.Alice)).ExitCode);
    }

    [Fact]
    public async Task Push_time_is_the_tag_link_time_in_storage_and_pushes_through_the_registry_api_show_at_once()
    {
        var host = fixture.Registry.Host;
        (await Skopeo.PushAsync(fixture.Layout.Reference("tool"), $"docker://{host}/team-a/clock:old", UiRegistryFixture.Alice)).EnsureSuccess("push old");
        var link = fixture.Registry.Directory.Combine("store", "docker", "registry", "v2", "repositories", "team-a", "clock", "_manifests", "tags", "old", "current", "link");
        var then = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(link, then);
        using var alice = await LoggedInAsync("alice", "alice-pw-7f3a");

        var first = await alice.GetFromJsonAsync<JsonElement>("/api/v1/tags?repository=team-a/clock");
        Assert.Equal(then, first.GetProperty("items")[0].GetProperty("pushed").GetDateTimeOffset().UtcDateTime);

        (await Skopeo.PushAsync(fixture.Layout.Reference("app"), $"docker://{host}/team-a/clock:new", UiRegistryFixture.Alice)).EnsureSuccess("push new");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        JsonElement after;
        do
        {
            after = await alice.GetFromJsonAsync<JsonElement>("/api/v1/tags?repository=team-a/clock&sort=pushed&order=desc");
        }
        while (after.GetProperty("total").GetInt32() < 2 && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(["new", "old"], after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(fixture.AppDigest, after.GetProperty("items")[0].GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Deletes_are_refused_when_storage_delete_is_disabled_and_ui_enabled_false_leaves_registry2s_root()
    {
        using var directory = new TempDirectory("berth-ui-off");
        foreach (var (ui, expectApi) in new[] { ("true", HttpStatusCode.MethodNotAllowed), ("false", HttpStatusCode.NotFound) })
        {
            var yaml = $"""
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: {directory.Combine("store")}
                ui:
                  enabled: {ui}
                """;
            var configuration = ConfigurationLoader.Bind(ConfigTreeReader.ReadDocument(yaml, "test"), "test");
            await using var app = RegistryApplication.Build(configuration, new FilesystemDriver(new FilesystemDriverOptions { RootDirectory = directory.Combine("store") }), urls: "http://127.0.0.1:0");
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            client.DefaultRequestHeaders.Add("X-Berth-Request", "ui");

            using var delete = await client.DeleteAsync("/api/v1/tags?repository=a/b&tag=v1");
            Assert.Equal(expectApi, delete.StatusCode);
            using var page = new HttpRequestMessage(HttpMethod.Get, "/");
            page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            using var root = await client.SendAsync(page);
            Assert.Equal(HttpStatusCode.OK, root.StatusCode);
            Assert.Equal(ui == "true", (await root.Content.ReadAsByteArrayAsync()).Length > 0);
            await app.StopAsync();
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    /// <summary>A client holding a token from the built-in issuer, as the UI's login gets one.</summary>
    private async Task<HttpClient> LoggedInAsync(string user, string password)
    {
        var client = fixture.Registry.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token");
        request.Headers.Authorization = AuthRegistry.Basic(user, password);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
