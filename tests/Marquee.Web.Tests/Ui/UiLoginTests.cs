using System.Net;
using Marquee.Hosting.Security;
using Marquee.Web.Tests.Infrastructure;

namespace Marquee.Web.Tests.Ui;

/// <summary>Issue 20: the first-run page, the login, its lockout, logout, trusted local addresses and the API left to its key.</summary>
public sealed class UiLoginTests
{
    [Fact]
    public async Task FirstRun_NoAdmin_EveryPageOffersTheSetupPage_BadInputSavesNothing()
    {
        await using var app = await MarqueeApp.StartAsync();
        using var browser = new UiBrowser(app);
        var admin = Path.Combine(app.DataFolder, AdminAccount.FileName);

        var home = await browser.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/setup", home.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/login")).StatusCode);

        // Arrange bad input: no user, a short password, two different passwords.
        var empty = await browser.SubmitAsync("/setup", "/setup", new() { ["user"] = " ", ["password"] = "short", ["confirm"] = "short" });
        var emptyHtml = await empty.Content.ReadAsStringAsync();
        var differ = await browser.SubmitAsync("/setup", "/setup", new() { ["user"] = "admin", ["password"] = "long enough pass", ["confirm"] = "long enough pasS" });
        var differHtml = await differ.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("Choose a user name.", UiBrowser.FieldError(emptyHtml, "user"));
        Assert.Contains("at least 10 characters", UiBrowser.FieldError(emptyHtml, "password"), StringComparison.Ordinal);
        Assert.Equal("The two passwords differ.", UiBrowser.FieldError(differHtml, "confirm"));
        Assert.Contains("value=\"admin\"", differHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("long enough", differHtml, StringComparison.Ordinal);
        Assert.False(File.Exists(admin));

        // Act: a good form creates the admin and signs in.
        var created = await browser.SubmitAsync("/setup", "/setup", new() { ["user"] = "admin", ["password"] = UiBrowser.AdminPassword, ["confirm"] = UiBrowser.AdminPassword });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("Dashboard", await browser.PageAsync("/"), StringComparison.Ordinal);
        var stored = await File.ReadAllTextAsync(admin);
        Assert.DoesNotContain(UiBrowser.AdminPassword, stored, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(SecretFile.OwnerOnly, File.GetUnixFileMode(admin));
        }

        // The first-run page is gone for good: nobody else can take the admin's place.
        using var stranger = new UiBrowser(app);
        Assert.Equal("/login", (await stranger.Client.GetAsync("/setup")).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.SubmitAsync("/login", "/setup", new() { ["user"] = "evil", ["password"] = "evil evil evil", ["confirm"] = "evil evil evil" })).StatusCode);
        Assert.True(new AdminAccount(app.DataFolder).Verify("admin", UiBrowser.AdminPassword));
        Assert.False(new AdminAccount(app.DataFolder).Verify("evil", "evil evil evil"));
    }

    [Fact]
    public async Task Login_WrongPassword_MessageNextToTheFieldAndNoSession()
    {
        await using var app = await MarqueeApp.StartAsync();
        (await UiBrowser.SetUpAsync(app)).Dispose();
        using var browser = new UiBrowser(app);

        var wrong = await browser.SubmitAsync("/login", "/login", new() { ["user"] = "admin", ["password"] = "not the password" });
        var wrongUser = await browser.SubmitAsync("/login", "/login", new() { ["user"] = "someone", ["password"] = UiBrowser.AdminPassword });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Wrong user name or password.", UiBrowser.FieldError(await wrong.Content.ReadAsStringAsync(), "password"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongUser.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/runs")).StatusCode);

        var right = await browser.SubmitAsync("/login?returnUrl=%2Fruns", "/login", new() { ["user"] = "ADMIN", ["password"] = UiBrowser.AdminPassword, ["returnUrl"] = "/runs" });
        Assert.Equal("/runs", right.Headers.Location?.OriginalString);
        await browser.PageAsync("/runs");

        // An address outside Marquee is never a place to go back to after the login.
        using var other = new UiBrowser(app);
        var offsite = await other.SubmitAsync("/login", "/login", new() { ["user"] = "admin", ["password"] = UiBrowser.AdminPassword, ["returnUrl"] = "//evil.example/" });
        Assert.Equal("/", offsite.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Lockout_AfterNWrongPasswords_EvenTheRightOneRefusedUntilReset()
    {
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Ui:LockoutAttempts"] = "3" });
        using var signedIn = await UiBrowser.SetUpAsync(app);
        using var browser = new UiBrowser(app);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await browser.SubmitAsync("/login", "/login", new() { ["user"] = "admin", ["password"] = $"guess number {i}" })).StatusCode);
        }

        var right = await browser.SubmitAsync("/login", "/login", new() { ["user"] = "admin", ["password"] = UiBrowser.AdminPassword });

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("locked until", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/")).StatusCode);

        // 'marquee admin reset' (another process writing the data folder) lifts the lock and ends the old sessions.
        new AdminAccount(app.DataFolder).Set("admin", "a brand new password");
        Assert.Equal(HttpStatusCode.Redirect, (await signedIn.Client.GetAsync("/")).StatusCode);
        var after = await browser.SubmitAsync("/login", "/login", new() { ["user"] = "admin", ["password"] = "a brand new password" });
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        await browser.PageAsync("/");
    }

    [Fact]
    public async Task Logout_EndsTheSession_AndNeedsTheFormToken()
    {
        await using var app = await MarqueeApp.StartAsync();
        using var browser = await UiBrowser.SetUpAsync(app);

        var forged = await browser.PostWithoutTokenAsync("/logout", []);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await browser.PageAsync("/");

        var logout = await browser.SubmitAsync("/", "/logout", []);
        Assert.Equal("/login", logout.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task TrustLocalAddresses_OffByDefault_OnLetsLoopbackInWithoutLogin()
    {
        await using var closed = await MarqueeApp.StartAsync();
        await using var open = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Ui:TrustLocalAddresses"] = "true" });
        await using var proxied = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Ui:TrustLocalAddresses"] = "true", ["Marquee:Server:ReverseProxy"] = "true" });
        (await UiBrowser.SetUpAsync(closed)).Dispose();

        using var closedBrowser = new UiBrowser(closed);
        using var openBrowser = new UiBrowser(open);
        using var proxiedBrowser = new UiBrowser(proxied);

        Assert.Equal(HttpStatusCode.Redirect, (await closedBrowser.Client.GetAsync("/")).StatusCode);
        Assert.Contains("Dashboard", await openBrowser.PageAsync("/"), StringComparison.Ordinal);

        // Behind a reverse proxy every request comes from loopback: trusting it would trust everyone.
        Assert.Equal(HttpStatusCode.Redirect, (await proxiedBrowser.Client.GetAsync("/")).StatusCode);

        // Trusted for the pages, not for the API.
        await open.AssertProblemAsync(await open.Anonymous.GetAsync("/api/connections"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Api_WithASessionCookieButNoKey_401ProblemSayingHowToAuthenticate()
    {
        await using var app = await MarqueeApp.StartAsync();
        using var browser = await UiBrowser.SetUpAsync(app);

        var response = await browser.Client.GetAsync("/api/connections");

        var problem = await app.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Marquee:Ui:LockoutAttempts", "0", "LockoutAttempts")]
    [InlineData("Marquee:Ui:LockoutMinutes", "-1", "LockoutMinutes")]
    [InlineData("Marquee:Ui:SessionHours", "0", "SessionHours")]
    [InlineData("Marquee:Ui:NowPlayingCacheSeconds", "-1", "NowPlayingCacheSeconds")]
    public async Task Config_BadUiValues_RefusedAtStartWithTheKey(string key, string value, string named)
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => MarqueeApp.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.20", true)]
    [InlineData("::ffff:192.168.1.20", true)]
    [InlineData("fd00::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:db8::1", false)]
    public void TrustLocalAddresses_WhichAddressesAreLocal(string address, bool local) =>
        Assert.Equal(local, Marquee.Web.Ui.UiAuth.IsLocal(IPAddress.Parse(address)));
}
