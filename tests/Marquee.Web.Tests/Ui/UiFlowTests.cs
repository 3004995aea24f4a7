using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Ui;

/// <summary>Issue 20: a flow edited in the UI, a held run approved from its page, a run followed over server-sent events, and the dashboard's live view of the servers.</summary>
public sealed partial class UiFlowTests
{
    [Fact]
    public async Task EditFlow_ChangesWhatTheFormShows_AndKeepsWhatItDoesNot()
    {
        await using var app = await MarqueeApp.StartAsync();
        using var browser = await UiBrowser.SetUpAsync(app);
        await app.CreatePlexAsync("a");
        await app.CreatePlexAsync("b");
        Assert.True((await app.PostRawAsync("/api/flows", """
            {"name":"ab","from":"a","to":"b","features":["watched"],"filters":{"ignoreGuidPrefixes":["local://","com.example://"],"requireExternalIds":false}}
            """)).IsSuccessStatusCode);
        var id = (await Flow(app, "ab")).GetProperty("id").GetInt64();

        // The edit page shows the flow as it is.
        var page = await browser.PageAsync($"/flows/{id}");
        Assert.Contains("value=\"ab\"", page, StringComparison.Ordinal);
        Assert.Matches("<option value=\"edition\" selected>", page);

        var response = await browser.SubmitAsync($"/flows/{id}", $"/flows/{id}", new()
        {
            ["name"] = "ab-mirror",
            ["from"] = "a",
            ["to"] = "b",
            ["features"] = "watched",
            ["mode"] = "mirror",
            ["schedule"] = "6h",
            ["incremental"] = "off",
            ["libraries"] = "Movies, Films",
            ["profiles"] = "anna",
            ["editions"] = "skip",
            ["maxRemovals"] = "3",
            ["maxRemovalPercent"] = "1.5",
            ["enabled"] = "false",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Saved", Uri.UnescapeDataString(response.Headers.Location!.OriginalString), StringComparison.Ordinal);
        var flow = await Flow(app, "ab-mirror");
        Assert.Equal(id, flow.GetProperty("id").GetInt64());
        Assert.Equal("mirror", flow.GetProperty("mode").GetString());
        Assert.Equal("6h", flow.GetProperty("schedule").GetString());
        Assert.Equal("off", flow.GetProperty("incremental").GetString());
        Assert.Equal(["Movies", "Films"], flow.GetProperty("filters").GetProperty("libraries").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("anna", flow.GetProperty("filters").GetProperty("profiles")[0].GetString());
        Assert.Equal("skip", flow.GetProperty("filters").GetProperty("editions").GetString());
        Assert.Equal(3, flow.GetProperty("guards").GetProperty("maxRemovals").GetInt32());
        Assert.Equal(1.5, flow.GetProperty("guards").GetProperty("maxRemovalPercent").GetDouble());
        Assert.False(flow.GetProperty("enabled").GetBoolean());

        // What the form does not show is kept as it was.
        Assert.Equal(["local://", "com.example://"], flow.GetProperty("filters").GetProperty("ignoreGuidPrefixes").EnumerateArray().Select(p => p.GetString()));
        Assert.False(flow.GetProperty("filters").GetProperty("requireExternalIds").GetBoolean());

        // The box ticked again turns it back on.
        var again = await browser.SubmitAsync($"/flows/{id}", $"/flows/{id}", new() { ["name"] = "ab-mirror", ["from"] = "a", ["to"] = "b", ["features"] = "watched", ["mode"] = "mirror", ["enabled"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.True((await Flow(app, "ab-mirror")).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task EditFlow_BadInput_MessageNextToTheField_NothingChanged()
    {
        await using var app = await MarqueeApp.StartAsync();
        using var browser = await UiBrowser.SetUpAsync(app);
        await app.CreatePlexAsync("a");
        await app.CreatePlexAsync("b");
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b", features = new[] { "watched" } })).IsSuccessStatusCode);
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "ba", from = "b", to = "a", features = new[] { "watched" } })).IsSuccessStatusCode);
        var id = (await Flow(app, "ab")).GetProperty("id").GetInt64();
        var before = (await Flow(app, "ab")).GetRawText();
        Dictionary<string, string> Valid() => new() { ["name"] = "ab", ["from"] = "a", ["to"] = "b", ["features"] = "watched", ["mode"] = "mirror" };

        var cases = new (string Field, string Value, string Message, HttpStatusCode Status)[]
        {
            ("schedule", "every so often", "schedule", HttpStatusCode.BadRequest),
            ("maxRemovals", "lots", "must be a number", HttpStatusCode.BadRequest),
            ("editions", "sometimes", "editions", HttpStatusCode.BadRequest),
            ("mode", "sideways", "mode", HttpStatusCode.BadRequest),
            ("to", "nowhere", "nowhere", HttpStatusCode.BadRequest),
            ("name", "ba", "already exists", HttpStatusCode.Conflict),
            ("name", "a b!", "must be 1-64 characters", HttpStatusCode.BadRequest),
        };

        foreach (var (field, value, message, status) in cases)
        {
            var fields = Valid();
            fields[field] = value;
            var response = await browser.SubmitAsync($"/flows/{id}", $"/flows/{id}", fields);
            var html = await response.Content.ReadAsStringAsync();

            Assert.True(status == response.StatusCode, $"{field}={value}: {(int)response.StatusCode}");
            var error = UiBrowser.FieldError(html, field);
            Assert.True(error is not null, $"{field}={value}: no message next to the field\n{html}");
            Assert.Contains(message, error, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, (await Flow(app, "ab")).GetRawText());
        }

        await browser.PageAsync("/flows/999", HttpStatusCode.NotFound);
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task HeldRun_ApprovedFromItsPage_WritesTheRemovalsOnce()
    {
        // Arrange: a mirror flow whose first run copies the owner's watches; then four are taken back on the source,
        // more than the guard of one removal allows.
        await using var pair = await Pair.StartAsync();
        var (left, right, app, browser) = (pair.Left, pair.Right, pair.App, pair.Browser);
        var shared = left.State.ItemsOfType(1, ItemType.Movie)
            .Where(m => m.EditionTitle is null && m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)
                && left.State.ItemsOfType(1, ItemType.Movie).Count(o => o.PrimaryGuid == m.PrimaryGuid) == 1
                && right.State.ItemsOfType(1, ItemType.Movie).Count(t => t.PrimaryGuid == m.PrimaryGuid && t.EditionTitle is null) == 1
                && left.State.State(left.Owner, m).IsEmpty && right.State.State(right.Owner, right.State.ItemsOfType(1, ItemType.Movie).First(t => t.PrimaryGuid == m.PrimaryGuid)).IsEmpty)
            .Take(4).ToList();
        Assert.Equal(4, shared.Count);
        foreach (var movie in shared)
        {
            left.Control.Mark("owner", movie.RatingKey, watched: true);
        }

        Assert.True((await app.PostRawAsync("/api/flows", """{"name":"ab","from":"a","to":"b","features":["watched"],"mode":"mirror","guards":{"maxRemovals":1,"maxRemovalPercent":100}}""")).IsSuccessStatusCode);
        var first = await app.JsonAsync(await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } }));
        Assert.Equal("done", first.GetProperty("runs")[0].GetProperty("run").GetProperty("status").GetString());
        Assert.All(shared, m => Assert.True(Watched(right, m), $"{m.Title} was not copied"));
        foreach (var movie in shared)
        {
            left.Control.Mark("owner", movie.RatingKey, watched: false);
        }

        // Act: the run from the UI is held; its page offers the approval.
        var flowId = (await Flow(app, "ab")).GetProperty("id").GetInt64();
        var heldPage = await FollowRunAsync(browser, await browser.SubmitAsync("/flows", $"/flows/{flowId}/run", []));
        Assert.Contains("status-held", heldPage.Html, StringComparison.Ordinal);
        Assert.All(shared, m => Assert.True(Watched(right, m), $"{m.Title} was removed by a held run"));
        Assert.Contains($"action=\"/flows/{flowId}/approve\"", heldPage.Html, StringComparison.Ordinal);
        var approved = await FollowRunAsync(browser, await browser.SubmitAsync($"/runs/{heldPage.RunId}", $"/flows/{flowId}/approve", []));

        // Assert: the approved run is a new run that wrote the four removals; a rerun writes nothing.
        Assert.NotEqual(heldPage.RunId, approved.RunId);
        Assert.Contains("<dd class=\"status-done\">done</dd>", approved.Html, StringComparison.Ordinal);
        Assert.All(shared, m => Assert.False(Watched(right, m), $"{m.Title} is still watched after the approval"));
        Assert.Equal(4, RemovalsWritten().Count(approved.Html));
        var rerun = await app.JsonAsync(await app.PostJsonAsync("/api/sync", new { flows = new[] { "ab" } }));
        Assert.Equal(0, rerun.GetProperty("runs")[0].GetProperty("run").GetProperty("written").GetInt32());
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task LiveRun_Stream_SendsEachProgressLine_ThenDoneNamingTheStoredRun()
    {
        await using var pair = await Pair.StartAsync();
        var (left, right, app, browser) = (pair.Left, pair.Right, pair.App, pair.Browser);
        Assert.True((await app.PostJsonAsync("/api/flows", new { name = "ab", from = "a", to = "b", features = new[] { "watched" } })).IsSuccessStatusCode);
        var flowId = (await Flow(app, "ab")).GetProperty("id").GetInt64();

        var started = await browser.SubmitAsync("/flows", $"/flows/{flowId}/run", []);
        var live = started.Headers.Location!.OriginalString;
        Assert.StartsWith("/runs/live/", live, StringComparison.Ordinal);
        using var stream = await browser.Client.GetAsync(live + "/stream", HttpCompletionOption.ResponseHeadersRead);
        var text = await stream.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var data = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var lines = data.Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e["data: ".Length..]).ToList();
        Assert.Contains(lines, l => l.Contains("writing", StringComparison.Ordinal));
        Assert.Equal(lines.Count, lines.Distinct().Count());
        var done = Assert.Single(data, e => e.StartsWith("event: done\n", StringComparison.Ordinal));
        Assert.Equal(data[^1], done);
        var url = JsonDocument.Parse(done["event: done\ndata: ".Length..]).RootElement.GetProperty("url").GetString();
        Assert.Matches("^/runs/[0-9]+$", url);
        Assert.Contains("status-done", await browser.PageAsync(url!), StringComparison.Ordinal);

        // Asked after everything was seen, the stream sends only the end; an unknown run is a 404.
        var after = await browser.Client.GetStringAsync(live + $"/stream?after={lines.Count}");
        Assert.StartsWith("event: done\n", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/runs/live/nothere/stream")).StatusCode);

        // The page of a running run loads the script and keeps a reload for readers without scripts.
        Assert.Contains("text/javascript", (await browser.Client.GetAsync("/ui/live.js")).Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task Dashboard_NowPlayingReadFromTheServers_AndAnUnreachableServerIsNamed()
    {
        await using var plex = await PlexSimulator.StartAsync(Options(0, "plex-a"), CancellationToken.None);
        var clock = new SimClock(start: TimeProvider.System.GetUtcNow());
        await using var app = await MarqueeApp.StartAsync(services: services => services.AddSingleton<TimeProvider>(clock));
        using var browser = await UiBrowser.SetUpAsync(app);
        await app.CreatePlexAsync("a", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
        await app.CreatePlexAsync("gone", token: "t", url: "http://127.0.0.1:9");
        var movie = plex.State.ItemsOfType(1, ItemType.Movie).First();
        plex.Control.StartSession(new SessionSpec("owner", movie.RatingKey, ClientId: "tv-1", Device: "Living room TV", VideoDecision: "transcode", Location: "wan", PositionMs: movie.Duration / 2));

        var html = await browser.PageAsync("/");

        var now = NowPlayingCard().Match(html).Groups[1].Value;
        Assert.Contains(WebUtility.HtmlEncode(movie.Title), now, StringComparison.Ordinal);
        Assert.Contains("transcode", now, StringComparison.Ordinal);
        Assert.Contains("remote", now, StringComparison.Ordinal);
        Assert.Contains("Not read now: gone", now, StringComparison.Ordinal);
        Assert.Matches(">a</a> \\(plex\\) <span class=\"status-ok\">answers</span>", html);
        Assert.Matches(">gone</a> \\(plex\\) <span class=\"status-failed\">unreachable: ", html);
        Assert.Contains("action=\"/connections/2/test\"", html, StringComparison.Ordinal);

        // Once the playback ends the server says so, at the first view after the last read has expired.
        plex.Control.Play("owner", movie.RatingKey, movie.Duration / 2, stop: true, clientId: "tv-1");
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Contains("Nothing is playing.", NowPlayingCard().Match(await browser.PageAsync("/")).Groups[1].Value, StringComparison.Ordinal);
    }

    /// <summary>Two simulated Plex servers, connected to Marquee as "a" and "b", and a signed-in browser.</summary>
    private sealed record Pair(PlexSimulator Left, PlexSimulator Right, MarqueeApp App, UiBrowser Browser) : IAsyncDisposable
    {
        public static async Task<Pair> StartAsync()
        {
            var left = await PlexSimulator.StartAsync(Options(0, "plex-a"), CancellationToken.None);
            var right = await PlexSimulator.StartAsync(Options(1, "plex-b"), CancellationToken.None);
            var app = await MarqueeApp.StartAsync();
            var browser = await UiBrowser.SetUpAsync(app);
            await app.CreatePlexAsync("a", token: left.Owner.AccountToken, url: left.BaseUri.ToString());
            await app.CreatePlexAsync("b", token: right.Owner.AccountToken, url: right.BaseUri.ToString());
            return new Pair(left, right, app, browser);
        }

        public async ValueTask DisposeAsync()
        {
            Browser.Dispose();
            await App.DisposeAsync();
            await Right.DisposeAsync();
            await Left.DisposeAsync();
        }
    }

    private static PlexSimulatorOptions Options(int variant, string name) =>
        new() { Seed = 11, Variant = variant, Movies = 30, Shows = 1, HomeUsers = 0, Friends = 0, ServerName = name };

    private static bool Watched(PlexSimulator server, PlexItem sourceMovie)
    {
        var item = server.State.ItemsOfType(1, ItemType.Movie).First(m => m.PrimaryGuid == sourceMovie.PrimaryGuid && m.EditionTitle is null);
        return server.State.State(server.Owner, item).ViewCount > 0;
    }

    private static async Task<JsonElement> Flow(MarqueeApp app, string name) => await app.JsonAsync(await app.Client.GetAsync($"/api/flows/{name}"));

    /// <summary>Follows a run started from the UI (as a reader without scripts does, reloading) until its stored page.</summary>
    private static async Task<(long RunId, string Html)> FollowRunAsync(UiBrowser browser, HttpResponseMessage started)
    {
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!.OriginalString;
        for (var i = 0; i < 600 && location.StartsWith("/runs/live/", StringComparison.Ordinal); i++)
        {
            var response = await browser.Client.GetAsync(location);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                location = response.Headers.Location!.OriginalString;
                break;
            }

            Assert.DoesNotContain("The run ended", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await Task.Delay(200);
        }

        var id = long.Parse(RunPath().Match(location).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (id, await browser.PageAsync(location));
    }

    [GeneratedRegex("^/runs/([0-9]+)$")]
    private static partial Regex RunPath();

    [GeneratedRegex("<td>mark-unwatched</td>.*?<td class=\"status-written\">", RegexOptions.Singleline)]
    private static partial Regex RemovalsWritten();

    [GeneratedRegex("<h2 id=\"now\">Now playing</h2>(.*?)</section>", RegexOptions.Singleline)]
    private static partial Regex NowPlayingCard();
}
