using System.Text.RegularExpressions;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Marquee.Web.Tests.Ui;

/// <summary>
/// Issue 20: the web UI in a real headless Chromium (Debian's <c>chromium</c>, or MARQUEE_CHROMIUM), driven by Playwright.
/// Screenshots of every page land in the test output folder under <c>screenshots/</c>. Without Chromium the tests fail in CI
/// and are skipped (with the reason in their output) elsewhere.
/// </summary>
[Trait("Category", "Scenario")]
public sealed partial class BrowserTests(ITestOutputHelper output)
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Browser_LogIn_AddTwoPlexServersByPin_FlowRunWatchedPlanOpenedThenUndone()
    {
        if (FindChromium() is not { } chromium)
        {
            return;
        }

        // Arrange: two simulated Plex servers behind one plex.tv, as one owner sees them.
        var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 7, Variant = variant, Movies = 20, Shows = 1, HomeUsers = 0, Friends = 0, ServerName = name };
        await using var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
        await using var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString() });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"] });
        var page = await browser.NewPageAsync(new() { BaseURL = app.Address.ToString() });
        page.SetDefaultTimeout(30_000);

        // First run: the setup page creates the admin.
        await page.GotoAsync("/");
        Assert.EndsWith("/setup", page.Url, StringComparison.Ordinal);
        await ShotAsync(page, "setup");
        await page.FillAsync("#f-user", UiBrowser.AdminUser);
        await page.FillAsync("#f-password", UiBrowser.AdminPassword);
        await page.FillAsync("#f-confirm", UiBrowser.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the administrator" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" }).WaitForAsync();

        // Log out, a wrong password, then the right one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.FillAsync("#f-user", UiBrowser.AdminUser);
        await page.FillAsync("#f-password", "not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        Assert.Equal("Wrong user name or password.", await page.Locator("#password-error").TextContentAsync());
        await ShotAsync(page, "login-wrong-password");
        await page.FillAsync("#f-password", UiBrowser.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" }).WaitForAsync();

        // Act: Plex PIN sign-in; the PIN is approved as the owner would in Plex's page; both servers are picked.
        await page.GotoAsync("/connections");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Plex" }).ClickAsync();
        await page.Locator("#plex-code").WaitForAsync();
        await ShotAsync(page, "plex-pin");
        Assert.True(ApprovePin(left), "no PIN was created on plex.tv");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Pick your Plex servers" }).WaitForAsync(new() { Timeout = 30_000 });
        await ShotAsync(page, "plex-servers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the servers" }).ClickAsync();
        await page.GetByText("Added plex-a, plex-b.").WaitForAsync();

        // A flow between them, a dry run, then the run followed live until it ends.
        await page.GotoAsync("/flows");
        await page.FillAsync("#f-name", "ab");
        await page.SelectOptionAsync("#f-from", "plex-a");
        await page.SelectOptionAsync("#f-to", "plex-b");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the flow" }).ClickAsync();
        await page.GetByText("Added the flow 'ab'").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run" }).ClickAsync();
        await page.GetByText("Nothing was written.").WaitForAsync();
        await ShotAsync(page, "dry-run");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run it now" }).ClickAsync();
        Assert.Matches("/runs/(live/[0-9a-f]+|[0-9]+)$", page.Url);
        await page.WaitForURLAsync(RunPage(), new() { Timeout = 120_000 });
        await ShotAsync(page, "first-run");

        // The owner marks a movie watched on plex-a; the next run carries it to plex-b.
        var movie = left.State.ItemsOfType(1, ItemType.Movie)
            .First(m => m.EditionTitle is null && m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal) && left.State.State(left.Owner, m).IsEmpty
                && right.State.ItemsOfType(1, ItemType.Movie).Count(t => t.PrimaryGuid == m.PrimaryGuid && t.EditionTitle is null) == 1);
        left.Control.Mark("owner", movie.RatingKey, watched: true);
        await page.GotoAsync("/flows");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(RunPage(), new() { Timeout = 120_000 });

        // Assert: the plan with each write's outcome, the requests per endpoint; then the undo, confirmed.
        await ShotAsync(page, "run");
        Assert.Equal("done", await page.Locator(".cards dd").First.TextContentAsync());
        var written = await page.Locator("td.status-written").CountAsync();
        Assert.True(written > 0, "the run wrote nothing");
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "Requests per endpoint" }).IsVisibleAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Undo this run…" }).ClickAsync();
        await ShotAsync(page, "undo-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, undo this run" }).ClickAsync();
        await page.GetByText("was undone by this run").WaitForAsync();
        await ShotAsync(page, "undone");

        // Every page, for the record.
        foreach (var path in UiPageTests.Pages)
        {
            await page.GotoAsync(path);
            await ShotAsync(page, path == "/" ? "dashboard" : path.Trim('/').Replace('/', '-'));
        }
    }

    [Fact]
    public async Task Browser_ReadOnlyPagesWorkWithoutJavaScript_InTheDarkScheme()
    {
        if (FindChromium() is not { } chromium)
        {
            return;
        }

        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Ui:TrustLocalAddresses"] = "true" });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"] });
        var page = await browser.NewPageAsync(new() { BaseURL = app.Address.ToString(), JavaScriptEnabled = false, ColorScheme = ColorScheme.Dark, ViewportSize = new() { Width = 390, Height = 844 } });

        foreach (var path in new[] { "/", "/runs", "/events", "/connections", "/flows" })
        {
            await page.GotoAsync(path);
            Assert.True(await page.Locator("main h1").IsVisibleAsync(), path);
            Assert.DoesNotContain("<script", await page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
            await ShotAsync(page, "dark-phone-" + (path == "/" ? "dashboard" : path.Trim('/')));
        }
    }

    /// <summary>Debian's chromium, or MARQUEE_CHROMIUM; null (after saying why) when there is none outside CI.</summary>
    private string? FindChromium()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("MARQUEE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" };
        if (candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c)) is { } found)
        {
            return found;
        }

        const string Message = "Chromium is not installed (apt-get install chromium, or set MARQUEE_CHROMIUM to its path)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Message);
        }

        output.WriteLine(Message + "; skipped");
        return null;
    }

    private static bool ApprovePin(PlexSimulator plexTv)
    {
        // Each simulator numbers its PINs from a fixed start; the owner approves the one the page shows.
        for (var id = 564_964_751; id < 564_964_760; id++)
        {
            if (plexTv.Control.ApprovePin(id, "owner"))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    [GeneratedRegex("/runs/[0-9]+$")]
    private static partial Regex RunPage();
}
