using System.Net;
using System.Text.RegularExpressions;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Web.Tests.Ui;

/// <summary>
/// The dashboard reads each server's sessions at most once per Marquee:Ui:NowPlayingCacheSeconds (5 s), whatever the number
/// of views: views in that time, and views at the same moment, share one GET /status/sessions, failed reads included.
/// </summary>
public sealed partial class DashboardSessionTests
{
    private const string SessionsEndpoint = "GET /status/sessions";

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ViewsWithinTheWindow_AtOnceAndOneAfterAnother_SendOneSessionRead()
    {
        await using var kit = await Kit.StartAsync();

        // Slow answers, so the three views at once wait on the server together.
        kit.Plex.Control.SetLatency(300);
        var together = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => kit.Browser.PageAsync("/")));
        var after = await kit.Browser.PageAsync("/");

        Assert.Equal(1, SessionReads(kit.Plex));
        Assert.All(together.Append(after), html => Assert.Matches(Answers(), html));
    }

    [Fact]
    public async Task AfterTheWindow_AViewReadsAgain_AndShowsWhatStartedSince()
    {
        await using var kit = await Kit.StartAsync();
        Assert.Contains("Nothing is playing.", NowPlayingCard().Match(await kit.Browser.PageAsync("/")).Groups[1].Value, StringComparison.Ordinal);
        var movie = kit.Plex.State.ItemsOfType(1, ItemType.Movie).First();
        kit.Plex.Control.StartSession(new SessionSpec("owner", movie.RatingKey, ClientId: "tv-1", Device: "Living room TV", PositionMs: movie.Duration / 2));

        var within = NowPlayingCard().Match(await kit.Browser.PageAsync("/")).Groups[1].Value;
        kit.Clock.Advance(Window);
        var past = NowPlayingCard().Match(await kit.Browser.PageAsync("/")).Groups[1].Value;

        Assert.Contains("Nothing is playing.", within, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(movie.Title), past, StringComparison.Ordinal);
        Assert.Equal(2, SessionReads(kit.Plex));
    }

    [Fact]
    public async Task AFailedRead_ShownUnreachableForTheWindow_ThenReadAgain()
    {
        await using var kit = await Kit.StartAsync(new Dictionary<string, string?> { ["Marquee:Plex:MaxRetries"] = "0" });
        kit.Plex.Control.SetFault(SessionsEndpoint, new FaultSpec { Error500 = 1 });

        var failed = await kit.Browser.PageAsync("/");
        kit.Plex.Control.ClearFaults();
        var within = await kit.Browser.PageAsync("/");
        var readsWithin = SessionReads(kit.Plex);
        kit.Clock.Advance(Window);
        var past = await kit.Browser.PageAsync("/");

        Assert.Matches(Unreachable(), failed);
        Assert.Contains("Not read now: a", NowPlayingCard().Match(failed).Groups[1].Value, StringComparison.Ordinal);
        Assert.Matches(Unreachable(), within);
        Assert.Equal(1, readsWithin);
        Assert.Matches(Answers(), past);
        Assert.Equal(2, SessionReads(kit.Plex));
    }

    [Fact]
    public async Task AViewThatGoesAway_DoesNotCutTheReadShort_ForTheNextView()
    {
        await using var kit = await Kit.StartAsync();
        kit.Plex.Control.SetLatency(1500);

        using (var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kit.Browser.Client.GetAsync("/", leave.Token));
        }

        var next = await kit.Browser.PageAsync("/");

        Assert.Matches(Answers(), next);
        Assert.Equal(1, SessionReads(kit.Plex));
    }

    private static long SessionReads(PlexSimulator plex) => plex.Control.RequestCounts.GetValueOrDefault(SessionsEndpoint);

    [GeneratedRegex("<h2 id=\"now\">Now playing</h2>(.*?)</section>", RegexOptions.Singleline)]
    private static partial Regex NowPlayingCard();

    [GeneratedRegex(">a</a> \\(plex\\) <span class=\"status-ok\">answers</span>")]
    private static partial Regex Answers();

    [GeneratedRegex(">a</a> \\(plex\\) <span class=\"status-failed\">unreachable: ")]
    private static partial Regex Unreachable();

    /// <summary>A simulated Plex server connected to Marquee as "a", a signed-in browser, and Marquee's clock, stopped until advanced.</summary>
    private sealed record Kit(PlexSimulator Plex, MarqueeApp App, UiBrowser Browser, SimClock Clock) : IAsyncDisposable
    {
        public static async Task<Kit> StartAsync(IDictionary<string, string?>? settings = null)
        {
            var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Seed = 11, Movies = 5, Shows = 1, HomeUsers = 0, Friends = 0, ServerName = "plex-a" }, CancellationToken.None);
            var clock = new SimClock(start: TimeProvider.System.GetUtcNow());
            var app = await MarqueeApp.StartAsync(settings, services => services.AddSingleton<TimeProvider>(clock));
            var browser = await UiBrowser.SetUpAsync(app);
            await app.CreatePlexAsync("a", token: plex.Owner.AccountToken, url: plex.BaseUri.ToString());
            plex.Control.ResetCounts();
            return new Kit(plex, app, browser, clock);
        }

        public async ValueTask DisposeAsync()
        {
            Browser.Dispose();
            await App.DisposeAsync();
            await Plex.DisposeAsync();
        }
    }
}
