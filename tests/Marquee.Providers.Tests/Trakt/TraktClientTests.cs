using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Providers.Trakt;
using Marquee.Simulators.Trakt;

namespace Marquee.Providers.Tests.Trakt;

public sealed class TraktClientTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-05-01T20:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task DeviceLogin_Approved_GivesTokensExpiringAtCreatedAtPlusExpiresIn()
    {
        await using var sim = await StartAsync(o => o with { AutoApprove = "anna", TokenLifetimeSeconds = 86_400 });
        using var http = new HttpClient();
        var login = new TraktDeviceLogin(http, App(sim), TimeProvider.System);

        var before = DateTimeOffset.FromUnixTimeSeconds(sim.Control.Now.ToUnixTimeSeconds());
        var code = await login.StartAsync(CancellationToken.None);
        var tokens = await login.WaitAsync(code, CancellationToken.None);

        Assert.Equal(8, code.UserCode.Length);
        Assert.InRange(tokens.ExpiresAt, before.AddSeconds(86_400), sim.Control.Now.AddSeconds(86_400));
        Assert.Equal("anna", sim.State.Authenticate(tokens.AccessToken)!.Name);
        Assert.DoesNotContain(tokens.AccessToken, tokens.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown", 404, "run the login again")]
    [InlineData("denied", 418, "choose Yes")]
    [InlineData("expired", 410, "expired before it was approved")]
    [InlineData("used", 409, "already used")]
    public async Task DeviceLogin_EachErrorStatus_SaysWhatToDo(string situation, int status, string advice)
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient();
        var login = new TraktDeviceLogin(http, App(sim), TimeProvider.System);
        var code = await login.StartAsync(CancellationToken.None);
        switch (situation)
        {
            case "unknown":
                code = code with { DeviceCode = "not-a-code" };
                break;
            case "denied":
                sim.Control.Deny(code.UserCode);
                break;
            case "expired":
                sim.Control.AdvanceClock(TimeSpan.FromMinutes(11));
                break;
            case "used":
                sim.Control.Approve(code.UserCode, "anna");
                await login.WaitAsync(code, CancellationToken.None);
                break;
        }

        var error = await Assert.ThrowsAsync<TraktException>(() => login.WaitAsync(code, CancellationToken.None));

        Assert.Equal(status, error.Status);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceLogin_SlowDown_KeepsPolling()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient();
        var login = new TraktDeviceLogin(http, App(sim), TimeProvider.System);
        var code = await login.StartAsync(CancellationToken.None);
        sim.Control.SetStatusFault("POST /oauth/device/token", new TraktStatusFault(429, Times: 1));
        sim.Control.Approve(code.UserCode, "ben");

        var tokens = await login.WaitAsync(code, CancellationToken.None);

        Assert.Equal("ben", sim.State.Authenticate(tokens.AccessToken)!.Name);
        Assert.Equal(2, sim.Control.RequestCounts["POST /oauth/device/token"]);
    }

    [Fact]
    public async Task ExpiringToken_IsRefreshedAndSavedBeforeTheCall_AndAUsedRefreshTokenSaysToSignInAgain()
    {
        await using var sim = await StartAsync();
        sim.State.TokenLifetimeSeconds = 60;
        var issued = sim.Control.Issue("anna");
        var old = new TraktTokens(issued.AccessToken, issued.RefreshToken, DateTimeOffset.FromUnixTimeSeconds(issued.CreatedAt + issued.ExpiresIn));
        sim.State.TokenLifetimeSeconds = 604_800;
        var saved = new List<(TraktTokens Tokens, long HistoryReadsBefore)>();
        using var http = new HttpClient();
        using var client = new TraktClient(http, App(sim), old, (t, _) =>
        {
            saved.Add((t, sim.Control.RequestCounts.GetValueOrDefault("GET /sync/history")));
            return Task.CompletedTask;
        }, TimeProvider.System);

        var rows = await client.ListAsync("sync/history", CancellationToken.None);
        using var stale = new TraktClient(http, App(sim), old, (_, _) => Task.CompletedTask, TimeProvider.System);
        var error = await Assert.ThrowsAsync<TraktException>(() => stale.ListAsync("sync/history", CancellationToken.None));

        Assert.Empty(rows);
        var (fresh, readsBefore) = Assert.Single(saved);
        Assert.Equal(0, readsBefore);
        Assert.Equal(fresh, client.Tokens);
        Assert.InRange(fresh.ExpiresAt, old.ExpiresAt.AddSeconds(604_800 - 60), sim.Control.Now.AddSeconds(604_800));
        Assert.Contains("connection add trakt", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(old.RefreshToken, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(old.AccessToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedAccessToken_IsRefreshedOnce_ThenTheCallSucceeds()
    {
        await using var sim = await StartAsync();
        var issued = sim.Control.Issue("anna");
        var tokens = new TraktTokens(issued.AccessToken, issued.RefreshToken, DateTimeOffset.FromUnixTimeSeconds(issued.CreatedAt + issued.ExpiresIn));
        var saves = 0;
        using var http = new HttpClient();
        using var client = new TraktClient(http, App(sim), tokens, (_, _) => Task.FromResult(++saves), TimeProvider.System);
        sim.Control.Harness.SetFault("GET /sync/watchlist", new Marquee.Simulators.Infrastructure.FaultSpec { Unauthorized = 1, Times = 1 });

        var rows = await client.ListAsync("sync/watchlist", CancellationToken.None);

        Assert.Empty(rows);
        Assert.Equal(1, saves);
        Assert.Equal(2, sim.Control.RequestCounts["GET /sync/watchlist"]);
    }

    [Fact]
    [Trait("Category", "Scenario")]
    public async Task TenThousandPlays_AreSentInBatchesOf100_WithinTheWriteWindow_AndARerunAddsNothing()
    {
        await using var sim = await StartAsync(o => o with { Movies = 10_000, PostLimit = 1, PostWindowMs = 50, GetLimit = 500 });
        using var http = new HttpClient();
        using var client = await ClientAsync(sim, http);
        var plays = sim.State.Catalog.Movies.Take(10_000)
            .Select((m, i) => new TraktPlayWrite("movie", new JsonObject { ["tmdb"] = m.Tmdb }, Start.AddMinutes(-i).AddSeconds(37).AddMilliseconds(250)))
            .ToList();

        var sent = await client.AddHistoryAsync(plays, CancellationToken.None);
        var counts = sim.Control.RequestCounts;
        var limits = sim.Control.Limits.Counts;
        sim.Control.ResetCounts();
        var again = await client.AddHistoryAsync(plays, CancellationToken.None);

        Assert.Equal(10_000, sent);
        Assert.Equal(10_000, sim.Control.Dump("anna").Plays.Count);
        Assert.Equal(100, counts["POST /sync/history"]);
        Assert.Equal(1, counts["GET /sync/history"]);
        Assert.Equal(0, limits[TraktLimits.Post].Unhonoured);
        Assert.Equal(0, limits[TraktLimits.Get].Unhonoured);
        Assert.Equal(0, again);
        Assert.False(sim.Control.RequestCounts.ContainsKey("POST /sync/history"));
        Assert.Equal(40, sim.Control.RequestCounts["GET /sync/history"]);
    }

    [Fact]
    public async Task A429_IsWaitedOutForItsRetryAfter_AlsoTheEdgesHtmlOne()
    {
        await using var sim = await StartAsync(o => o with { Movies = 200, PostLimit = 1, PostWindowMs = 50 });
        using var http = new HttpClient();
        using var client = await ClientAsync(sim, http);
        sim.Control.SetStatusFault("POST /sync/history", new TraktStatusFault(429, Times: 1, RetryAfterSeconds: 1, Edge: true));
        var plays = sim.State.Catalog.Movies.Take(150).Select(m => new TraktPlayWrite("movie", new JsonObject { ["trakt"] = m.Trakt }, Start)).ToList();

        await client.AddHistoryAsync(plays, CancellationToken.None);

        Assert.Equal(150, sim.Control.Dump("anna").Plays.Count);
        Assert.Equal(3, sim.Control.RequestCounts["POST /sync/history"]);
        Assert.Equal(1, sim.Control.Limits.Counts[TraktLimits.Post].Limited);
        Assert.Equal(0, sim.Control.Limits.Counts[TraktLimits.Post].Unhonoured);
    }

    [Fact]
    public async Task ThreeThousandWatchedAndWatchlisted_AreReadCompletely()
    {
        await using var sim = await StartAsync(o => o with { Movies = 3_000 });
        foreach (var movie in sim.State.Catalog.Movies.Take(3_000))
        {
            sim.Control.Play("anna", movie, Start);
            sim.Control.Watchlist("anna", movie, add: true);
        }

        using var http = new HttpClient();
        using var client = await ClientAsync(sim, http);

        var watched = await client.ListAsync("sync/watched/movies", CancellationToken.None);
        var watchlist = await client.ListAsync("sync/watchlist/movies", CancellationToken.None);

        Assert.Equal(3_000, watched.Select(r => r["movie"]!["ids"]!["trakt"]!.GetValue<long>()).Distinct().Count());
        Assert.Equal(3_000, watchlist.Select(r => r["movie"]!["ids"]!["trakt"]!.GetValue<long>()).Distinct().Count());
        Assert.Equal(12, sim.Control.RequestCounts["GET /sync/watched/{type}"]);
    }

    [Theory]
    [InlineData(423, "locked")]
    [InlineData(420, "blocked by Trakt limit")]
    public async Task AccountStatuses_StopWithAMessage(int status, string words)
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient();
        using var client = await ClientAsync(sim, http);
        sim.Control.SetStatusFault("POST /sync/watchlist", new TraktStatusFault(status));

        var error = await Assert.ThrowsAsync<TraktException>(() => client.WriteAsync("sync/watchlist", new JsonObject { ["movies"] = new JsonArray() }, CancellationToken.None));

        Assert.Equal(status, error.Status);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, sim.Control.RequestCounts["POST /sync/watchlist"]);
    }

    private static Task<TraktSimulator> StartAsync(Func<TraktSimulatorOptions, TraktSimulatorOptions>? configure = null)
    {
        var options = new TraktSimulatorOptions { Movies = 40, Shows = 4, PollIntervalSeconds = 0, PostLimit = 0, GetLimit = 0 };
        return TraktSimulator.StartAsync(configure?.Invoke(options) ?? options, CancellationToken.None);
    }

    private static TraktApp App(TraktSimulator sim) =>
        new(sim.BaseUri, sim.ClientId, sim.ClientSecret, TimeSpan.FromMilliseconds(sim.Control.Limits.PostWindow.TotalMilliseconds));

    private static Task<TraktClient> ClientAsync(TraktSimulator sim, HttpClient http)
    {
        var issued = sim.Control.Issue("anna");
        var tokens = new TraktTokens(issued.AccessToken, issued.RefreshToken, DateTimeOffset.FromUnixTimeSeconds(issued.CreatedAt + issued.ExpiresIn));
        return Task.FromResult(new TraktClient(http, App(sim), tokens, (_, _) => Task.CompletedTask, TimeProvider.System));
    }
}
