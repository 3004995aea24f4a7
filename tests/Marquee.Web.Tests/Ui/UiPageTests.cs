using System.Net;
using System.Net.Http.Json;
using Marquee.Hosting.Security;
using Marquee.Simulators.Plex;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Ui;

/// <summary>Issue 20 acceptance: every page behind the login, every form behind its token, no secret in any page, bad input shown next to its field.</summary>
public sealed class UiPageTests
{
    /// <summary>Every page the UI serves, with the ids of a store holding one connection, one flow and one run.</summary>
    public static readonly string[] Pages =
    [
        "/", "/connections", "/connections/add/plex", "/connections/add/jellyfin", "/connections/add/emby", "/connections/1/remove", "/profiles",
        "/profiles/alice/history", "/flows", "/flows/1", "/runs", "/runs/1", "/runs/1/undo", "/unresolved", "/events", "/deliveries", "/notifications", "/care",
    ];

    /// <summary>Every form's action, with a body that would change something if it were taken.</summary>
    public static readonly (string Action, Dictionary<string, string> Fields)[] Forms =
    [
        ("/connections/add/plex", new() { ["name"] = "sneaky", ["url"] = "http://127.0.0.1:9", ["token"] = "x", ["saveAnyway"] = "true" }),
        ("/connections/1/remove", new() { ["confirm"] = "yes" }),
        ("/connections/1/test", []),
        ("/connections/plex/start", []),
        ("/profiles", new() { ["name"] = "sneaky" }),
        ("/profiles/link", new() { ["profile"] = "alice", ["connection"] = "home", ["account"] = "x" }),
        ("/flows", new() { ["name"] = "sneaky", ["from"] = "home", ["to"] = "home", ["features"] = "watched" }),
        ("/flows/1", new() { ["name"] = "sneaky", ["from"] = "home", ["to"] = "home", ["features"] = "watched" }),
        ("/flows/1/run", []),
        ("/flows/1/approve", []),
        ("/flows/1/remove", new() { ["confirm"] = "yes" }),
        ("/runs/1/undo", new() { ["confirm"] = "yes" }),
        ("/logout", []),
    ];

    [Fact]
    public async Task NoSession_EveryPageAndForm_SentToTheLogin_NothingChanged()
    {
        await using var app = await MarqueeApp.StartAsync();
        (await UiBrowser.SetUpAsync(app)).Dispose();
        await app.CreatePlexAsync("home");
        using var stranger = new UiBrowser(app);

        foreach (var page in Pages)
        {
            var response = await stranger.Client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {(int)response.StatusCode}");
            Assert.StartsWith("/login?returnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        foreach (var (action, fields) in Forms)
        {
            var response = await stranger.PostWithoutTokenAsync(action, new Dictionary<string, string>(fields));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{action}: {(int)response.StatusCode}");
        }

        await AssertUnchangedAsync(app);
    }

    [Fact]
    public async Task Antiforgery_EveryFormWithoutAValidToken_Refused_NothingChanged()
    {
        await using var app = await MarqueeApp.StartAsync();
        using var browser = await UiBrowser.SetUpAsync(app);
        using var other = await UiBrowser.LogInAsync(app);
        await app.CreatePlexAsync("home");
        var othersToken = UiBrowser.Token(await other.PageAsync("/profiles"));

        foreach (var (action, fields) in Forms)
        {
            var none = await browser.PostWithoutTokenAsync(action, new Dictionary<string, string>(fields));
            var foreign = await browser.PostWithoutTokenAsync(action, new Dictionary<string, string>(fields) { ["__token"] = othersToken });
            var forged = await browser.PostWithoutTokenAsync(action, new Dictionary<string, string>(fields) { ["__token"] = "CfDJ8-not-a-token" });

            Assert.True(none.StatusCode == HttpStatusCode.BadRequest, $"{action} without a token: {(int)none.StatusCode}");
            Assert.True(foreign.StatusCode == HttpStatusCode.BadRequest, $"{action} with another session's token: {(int)foreign.StatusCode}");
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{action} with a forged token: {(int)forged.StatusCode}");
            Assert.Contains("nothing was changed", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await AssertUnchangedAsync(app);
        await browser.PageAsync("/");
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Secrets_EveryPageRendered_NoTokenKeyOrPasswordInAny()
    {
        // Arrange: two simulated Plex servers, a flow and a run between them, a profile, a webhook, a notification channel.
        var options = (int variant, string name) => new PlexSimulatorOptions { Seed = 5, Variant = variant, Movies = 12, Shows = 1, HomeUsers = 0, Friends = 0, ServerName = name };
        await using var left = await PlexSimulator.StartAsync(options(0, "plex-a"), CancellationToken.None);
        await using var right = await PlexSimulator.StartAsync(options(1, "plex-b"), CancellationToken.None);
        await using var plexTv = await PlexTvFederation.StartAsync([left, right], CancellationToken.None);
        await using var app = await MarqueeApp.StartAsync(new Dictionary<string, string?> { ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString() });
        using var browser = await UiBrowser.SetUpAsync(app);
        await app.CreatePlexAsync("home", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
        await app.CreatePlexAsync("away", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "ha", from = "home", to = "away", features = new[] { "watched" } })).IsSuccessStatusCode);
        Assert.True((await app.PostJsonAsync("/api/sync", new { flows = new[] { "ha" } })).IsSuccessStatusCode);
        Assert.True((await app.PostJsonAsync("/api/profiles", new { name = "alice" })).IsSuccessStatusCode);
        var channel = await app.PostJsonAsync("/api/notifications", new { name = "family", kind = "ntfy", url = "http://127.0.0.1:9/topic-SECRETTOPIC", triggers = new[] { "play" } });
        var secrets = new List<string> { app.ApiKey, app.Services.GetRequiredService<WebhookSecret>().Value, left.Owner.AccountToken, right.Owner.AccountToken, UiBrowser.AdminPassword };
        secrets.AddRange(left.Accounts.Select(a => a.AccountToken).Where(t => t is { Length: > 0 })!);

        // Act + Assert
        foreach (var page in Pages.Append("/profiles/alice/history").Append("/connections/2/remove"))
        {
            var html = await browser.PageAsync(page);
            foreach (var secret in secrets)
            {
                Assert.False(html.Contains(secret, StringComparison.Ordinal), $"{page} shows a secret");
            }
        }

        var tested = await browser.SubmitAsync("/connections", "/connections/1/test", []);
        Assert.Contains("the test passed", await tested.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(channel.IsSuccessStatusCode || channel.StatusCode == HttpStatusCode.BadRequest, await channel.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BadInput_EveryForm_MessageNextToTheField_NothingSaved()
    {
        await using var app = await MarqueeApp.StartAsync();
        using var browser = await UiBrowser.SetUpAsync(app);
        await app.CreatePlexAsync("home");

        var cases = new (string Page, string Action, Dictionary<string, string> Fields, string Field, string Message)[]
        {
            ("/connections/add/plex", "/connections/add/plex", new() { ["name"] = "bad name!", ["url"] = "http://127.0.0.1:9", ["token"] = "t" }, "name", "must be 1-64 characters"),
            ("/connections/add/plex", "/connections/add/plex", new() { ["name"] = "home", ["url"] = "http://127.0.0.1:9", ["token"] = "t" }, "name", "already exists"),
            ("/connections/add/plex", "/connections/add/plex", new() { ["name"] = "den", ["url"] = "http://127.0.0.1:9", ["token"] = "t", ["maxConcurrency"] = "many" }, "maxConcurrency", "whole number"),
            ("/connections/add/plex", "/connections/add/plex", new() { ["name"] = "den", ["url"] = "not a url", ["token"] = "t" }, "url", "url"),
            ("/connections/add/jellyfin", "/connections/add/jellyfin", new() { ["name"] = "jf" }, "url", "url"),
            ("/profiles", "/profiles", new() { ["name"] = "--" }, "name", "must be 1-64 characters"),
            ("/profiles", "/profiles/link", new() { ["profile"] = "nobody", ["connection"] = "home", ["account"] = "x" }, "profile", "nobody"),
            ("/flows", "/flows", new() { ["name"] = "f!", ["from"] = "home", ["to"] = "home", ["features"] = "watched" }, "name", "must be 1-64 characters"),
            ("/flows", "/flows", new() { ["name"] = "f", ["from"] = "home", ["to"] = "home", ["features"] = "watched", ["maxRemovals"] = "lots" }, "maxRemovals", "must be a number"),
            ("/flows", "/flows", new() { ["name"] = "f", ["from"] = "home", ["to"] = "home", ["features"] = "watched", ["schedule"] = "every so often" }, "schedule", "schedule"),
        };

        foreach (var (page, action, fields, field, message) in cases)
        {
            var response = await browser.SubmitAsync(page, action, fields);
            var html = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode is 400 or 409, $"{action} {field}: {(int)response.StatusCode}");
            var error = UiBrowser.FieldError(html, field);
            Assert.True(error is not null, $"{action}: no message next to '{field}'\n{html}");
            Assert.Contains(message, error, StringComparison.OrdinalIgnoreCase);
        }

        await AssertUnchangedAsync(app);
    }

    private static async Task AssertUnchangedAsync(MarqueeApp app)
    {
        Assert.Equal(["home"], (await app.Client.GetFromJsonAsync<List<NameOnly>>("/api/connections"))!.Select(c => c.Name));
        Assert.Empty((await app.Client.GetFromJsonAsync<List<NameOnly>>("/api/profiles"))!);
        Assert.Empty((await app.Client.GetFromJsonAsync<List<NameOnly>>("/api/flows"))!);
        Assert.Empty((await app.Client.GetFromJsonAsync<List<NameOnly>>("/api/runs"))!);
    }

    private sealed record NameOnly(string? Name);
}
