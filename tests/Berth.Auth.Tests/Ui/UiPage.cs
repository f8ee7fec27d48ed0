using Berth.Testing.Browsers;

namespace Berth.Auth.Tests.Ui;

/// <summary>What the UI tests do in the page: log in through the form, wait for a view, save a screenshot.</summary>
internal static class UiPage
{
    /// <summary>Where the test run saves its screenshots (docs/ui/ holds the committed copies).</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "ui-screenshots");

    public static async Task LoginAsync(HeadlessChromium browser, Uri registry, string user, string password)
    {
        await browser.NavigateAsync(registry.ToString());
        await browser.WaitForAsync("document.getElementById('login')");
        await browser.EvaluateAsync($$"""
            (() => {
              const form = document.getElementById('login');
              form.user.value = {{Js(user)}};
              form.password.value = {{Js(password)}};
              form.requestSubmit();
            })()
            """);
        await browser.WaitForAsync("document.body.dataset.view === 'repositories'");
    }

    /// <summary>Goes to a view by its fragment and waits until it has rendered from the API.</summary>
    public static async Task ShowAsync(HeadlessChromium browser, string fragment, string view)
    {
        await browser.EvaluateAsync($"delete document.body.dataset.view; location.hash = {Js(fragment)}");
        await browser.WaitForAsync($"document.body.dataset.view === {Js(view)}");
    }

    public static Task ScreenshotAsync(HeadlessChromium browser, string name, bool fullPage = true) =>
        browser.ScreenshotAsync(Path.Combine(ScreenshotDirectory, name + ".png"), fullPage);

    public static string Js(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
