using Berth.Auth.Tests.Support;
using Berth.Testing.Browsers;

namespace Berth.Auth.Tests.Ui;

/// <summary>
/// The real UI in headless Chromium against a real Berth holding images pushed by skopeo. Saves a screenshot of
/// every page (docs/ui.md shows them).
/// </summary>
public sealed class UiBrowserTests(UiRegistryFixture fixture) : IClassFixture<UiRegistryFixture>
{
    [Fact]
    public async Task Repository_list_tag_page_and_image_page_show_what_skopeo_pushed()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(fixture.Registry.BaseAddress.ToString());
        await browser.WaitForAsync("document.getElementById('login')");
        await UiPage.ScreenshotAsync(browser, "login");
        await UiPage.LoginAsync(browser, fixture.Registry.BaseAddress, "alice", "alice-pw-7f3a");

        var names = (await browser.EvaluateAsync("[...document.querySelectorAll('table.list tbody td:first-child a')].map(a => a.textContent)"))
            .EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Subset(names.ToHashSet(), new HashSet<string> { "team-a/app", "team-a/multi", "team-b/tool" });
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        await UiPage.ScreenshotAsync(browser, "repositories");
        await browser.SetColorSchemeAsync("dark");
        await UiPage.ScreenshotAsync(browser, "repositories-dark");
        await browser.SetColorSchemeAsync("light");

        await UiPage.ShowAsync(browser, "#/r/team-a/app", "r");
        var row = await browser.EvaluateAsync("""
            [...document.querySelectorAll('table.list tbody tr')].map(tr => ({
              tag: tr.cells[0].textContent.trim(), digest: tr.cells[1].querySelector('code').title, size: tr.cells[2].textContent.trim() }))
            """);
        var rows = row.EnumerateArray().ToList();
        Assert.Equal<string>(["1.0", "latest"], rows.Select(r => r.GetProperty("tag").GetString()!).ToArray());
        Assert.All(rows, r => Assert.Equal(fixture.AppDigest, r.GetProperty("digest").GetString()));
        Assert.All(rows, r => Assert.Equal($"{fixture.AppSize / 1024.0:F1} KiB", r.GetProperty("size").GetString()));
        var pull = await browser.EvaluateAsync("[...document.querySelectorAll('.pull input')].map(i => i.value)");
        Assert.Contains($"podman pull {fixture.Registry.Host}/team-a/app:1.0", pull.EnumerateArray().Select(p => p.GetString()));
        await browser.EvaluateAsync("document.querySelector('details').open = true");
        await UiPage.ScreenshotAsync(browser, "tags");

        await UiPage.ShowAsync(browser, "#/i/team-a/app@1.0", "i");
        var layers = await browser.EvaluateAsync("[...document.querySelectorAll('h2')].find(h => h.textContent === 'Layers').nextElementSibling.querySelectorAll('tbody tr').length");
        Assert.Equal(2, layers.GetInt32());
        Assert.Contains("PATH=/usr/local/sbin", (await browser.EvaluateAsync("document.body.innerText")).GetString());
        var referrers = await browser.EvaluateAsync("[...document.querySelectorAll('h2')].find(h => h.textContent === 'Referrers').nextElementSibling.innerText");
        Assert.Contains("application/spdx+json", referrers.GetString());
        Assert.Contains(fixture.SbomDigest[7..19], referrers.GetString());
        await UiPage.ScreenshotAsync(browser, "image");

        await UiPage.ShowAsync(browser, "#/i/team-a/multi@1", "i");
        var platforms = await browser.EvaluateAsync("[...document.querySelectorAll('table.list tbody td:nth-child(3)')].map(td => td.textContent)");
        Assert.Equal<string>(["linux/amd64", "linux/arm64"], platforms.EnumerateArray().Select(p => p.GetString()!).ToArray());
        await UiPage.ScreenshotAsync(browser, "index");
    }

    [Fact]
    public async Task Deleting_one_of_two_tags_on_a_digest_from_the_ui_leaves_the_other_pullable()
    {
        var host = fixture.Registry.Host;
        (await Skopeo.PushAsync(fixture.Layout.Reference("tool"), $"docker://{host}/team-a/pair:keep", UiRegistryFixture.Alice)).EnsureSuccess("push keep");
        (await Skopeo.PushAsync(fixture.Layout.Reference("tool"), $"docker://{host}/team-a/pair:drop", UiRegistryFixture.Alice)).EnsureSuccess("push drop");

        await using var browser = await HeadlessChromium.StartAsync();
        await UiPage.LoginAsync(browser, fixture.Registry.BaseAddress, "alice", "alice-pw-7f3a");
        await UiPage.ShowAsync(browser, "#/r/team-a/pair", "r");
        await browser.EvaluateAsync("document.querySelector('[data-delete-tag=\"drop\"]').click()");
        await browser.WaitForAsync("document.getElementById('confirm').open");
        await UiPage.ScreenshotAsync(browser, "delete-confirm");
        await browser.EvaluateAsync("delete document.body.dataset.view; document.getElementById('confirm-ok').click()");
        await browser.WaitForAsync("document.body.dataset.view === 'r' && !document.querySelector('[data-delete-tag=\"drop\"]')");
        Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('[data-delete-tag=\"keep\"]').length")).GetInt32());

        (await Skopeo.PullAsync($"docker://{host}/team-a/pair:keep", $"oci:{fixture.Scratch("pulled-keep")}:keep", UiRegistryFixture.Alice)).EnsureSuccess("pull the tag that stays");
        var dropped = await Skopeo.PullAsync($"docker://{host}/team-a/pair:drop", $"oci:{fixture.Scratch("pulled-drop")}:drop", UiRegistryFixture.Alice);
        Assert.NotEqual(0, dropped.ExitCode);
    }

    [Fact]
    public async Task A_user_without_access_does_not_see_a_repository_in_the_list_or_by_its_address()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await UiPage.LoginAsync(browser, fixture.Registry.BaseAddress, "carol", "carol-pw-55e0");
        var names = (await browser.EvaluateAsync("[...document.querySelectorAll('table.list tbody td:first-child a')].map(a => a.textContent)"))
            .EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains("team-a/app", names);
        Assert.DoesNotContain("team-b/tool", names);

        // carol may pull and push team-a/*, not delete: the tag page offers no delete.
        await UiPage.ShowAsync(browser, "#/r/team-a/app", "r");
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('main button.danger').length")).GetInt32());

        await browser.EvaluateAsync("location.hash = '#/r/team-b/tool'");
        await browser.WaitForAsync("document.querySelector('main .error')");
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('table.list').length")).GetInt32());
        await UiPage.ScreenshotAsync(browser, "no-access");
    }

    [Fact]
    public async Task With_htpasswd_the_ui_logs_in_with_basic_credentials_and_refuses_a_wrong_password()
    {
        using var directory = new TempDirectory("berth-ui-htpasswd");
        var htpasswd = HtpasswdLines.Write(directory.Combine("htpasswd"), ("dave", "dave-pw-3c1d"));
        await using var registry = await AuthRegistry.StartAsync(directory, $"""
            auth:
              htpasswd:
                realm: berth
                path: {htpasswd}
            """);
        (await Skopeo.PushAsync(fixture.Layout.Reference("tool"), $"docker://{registry.Host}/ops/tool:1", "dave:dave-pw-3c1d")).EnsureSuccess("push");
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(registry.BaseAddress.ToString());
        await browser.WaitForAsync("document.getElementById('login')");

        await browser.EvaluateAsync("(() => { const f = document.getElementById('login'); f.user.value = 'dave'; f.password.value = 'wrong'; f.requestSubmit(); })()");
        await browser.WaitForAsync("document.querySelector('#login .error')");

        await UiPage.LoginAsync(browser, registry.BaseAddress, "dave", "dave-pw-3c1d");
        Assert.Equal("ops/tool", (await browser.EvaluateAsync("document.querySelector('table.list tbody td a').textContent")).GetString());
        Assert.StartsWith("Basic ", (await browser.EvaluateAsync("sessionStorage.getItem('berth.authorization')")).GetString());
    }
}
