namespace Marquee.Web.Tests.Care;

/// <summary>Session rules against the Plex simulator: exactly the matching sessions are stopped with the message the player receives.</summary>
[Trait("Category", "Scenario")]
public sealed class SessionRuleTests
{
    [Fact]
    public async Task MaxStreamsPerUser_StopsTheNewerStreamsOfThatUserOnly()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("two-per-friend", new { action = "stop", message = "Two streams per account", maxStreamsPerUser = 2, exemptUsers = new[] { "owner" } });
        kit.Start("bob", "bob-tv");
        kit.Start("bob", "bob-phone");
        kit.Start("bob", "bob-laptop");
        kit.Start("carol", "carol-tv");
        kit.Start("owner", "owner-1");
        kit.Start("owner", "owner-2");
        kit.Start("owner", "owner-3");

        await kit.EvaluateAsync();

        Assert.Equal(new Dictionary<string, string> { ["bob-laptop"] = "Two streams per account" }, kit.Stopped());
    }

    [Fact]
    public async Task MaxStreamsPerServer_StopsOnlyTheStreamsAboveTheLimit()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("server-cap", new { action = "stop", message = "Server full", maxStreamsPerServer = 2 });
        kit.Start("bob", "a");
        kit.Start("carol", "b");
        kit.Start("kid", "c");

        await kit.EvaluateAsync();

        Assert.Equal(["c"], kit.Stopped().Keys);
    }

    [Fact]
    public async Task No4KTranscoding_StopsOnly4KVideoTranscodes_AndSparesExemptDevices()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("no-4k-transcode", new { action = "stop", message = "Please play 4K on a player that can direct play it", transcode = "video", minResolution = "4k", exemptDevices = new[] { "exempt-tv" } });
        kit.Start("bob", "4k-transcode", kit.Movie4K, video: "transcode");
        kit.Start("bob", "4k-direct", kit.Movie4K);
        kit.Start("carol", "1080-transcode", kit.Movie, video: "transcode");
        kit.Start("carol", "4k-audio-only", kit.Movie4K, audio: "transcode");
        kit.Start("kid", "exempt-tv", kit.Movie4K, video: "transcode");

        await kit.EvaluateAsync();

        Assert.Equal(new Dictionary<string, string> { ["4k-transcode"] = "Please play 4K on a player that can direct play it" }, kit.Stopped());
    }

    [Fact]
    public async Task AudioTranscode_MatchesAudioOnly()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("no-audio-transcode", new { action = "stop", message = "Audio transcoding", transcode = "audio" });
        kit.Start("bob", "audio", audio: "transcode");
        kit.Start("bob", "video", video: "transcode", audio: "copy");
        kit.Start("carol", "direct");

        await kit.EvaluateAsync();

        Assert.Equal(["audio"], kit.Stopped().Keys);
    }

    [Fact]
    public async Task RemoteAboveBandwidth_StopsOnlyRemoteSessionsAboveIt()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("remote-cap", new { action = "stop", message = "Remote streams up to 10 Mbps", remote = true, minBandwidthKbps = 10000 });
        kit.Start("bob", "wan-high", location: "wan", bandwidth: 20000);
        kit.Start("bob", "wan-low", location: "wan", bandwidth: 5000);
        kit.Start("carol", "lan-high", location: "lan", bandwidth: 40000);

        await kit.EvaluateAsync();

        Assert.Equal(["wan-high"], kit.Stopped().Keys);
    }

    [Fact]
    public async Task PlatformAndProduct_MatchTheNamedPlayersOnly()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("no-android", new { action = "stop", message = "Not on Android", platforms = new[] { "Android" } });
        await kit.RuleAsync("no-web", new { action = "stop", message = "Not in a browser", products = new[] { "Plex Web" }, users = new[] { "carol" } });
        kit.Start("bob", "android", platform: "Android", product: "Plex for Android (TV)");
        kit.Start("bob", "ios", platform: "iOS", product: "Plex for iOS");
        kit.Start("carol", "web", platform: "Chrome", product: "Plex Web");
        kit.Start("kid", "kid-web", platform: "Chrome", product: "Plex Web");

        await kit.EvaluateAsync();

        Assert.Equal(new Dictionary<string, string> { ["android"] = "Not on Android", ["web"] = "Not in a browser" }, kit.Stopped());
    }

    [Fact]
    public async Task PausedLongerThanN_StopsOnceMarqueeHasSeenItPausedThatLong()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("long-pause", new { action = "stop", message = "Paused too long", pausedMinutes = 10 });
        kit.Start("bob", "paused", paused: true);
        kit.Start("bob", "playing");

        await kit.EvaluateAsync();
        Assert.Empty(kit.Stopped());
        kit.Clock.Shift = TimeSpan.FromMinutes(11);
        await kit.EvaluateAsync();

        Assert.Equal(["paused"], kit.Stopped().Keys);
    }

    [Fact]
    public async Task Library_MatchesSessionsOfThatLibraryOnly()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("no-4k-library", new { action = "stop", message = "The 4K library is for the home", libraries = new[] { "Movies 4K" }, exemptUsers = new[] { "kid" } });
        kit.Start("bob", "4k", kit.Movie4K);
        kit.Start("bob", "hd", kit.Movie);
        kit.Start("kid", "kid-4k", kit.Movie4K);

        await kit.EvaluateAsync();

        Assert.Equal(["4k"], kit.Stopped().Keys);
    }

    [Fact]
    public async Task TimeOfDay_MatchesInsideTheWindowOnly()
    {
        await using var kit = await CareKit.StartAsync();
        var now = kit.Clock.GetUtcNow().UtcDateTime.TimeOfDay;
        string At(TimeSpan t) => TimeSpan.FromMinutes(Math.Floor(((t.TotalMinutes % 1440) + 1440) % 1440)).ToString("hh\\:mm", System.Globalization.CultureInfo.InvariantCulture);
        await kit.RuleAsync("bedtime", new { action = "stop", message = "Bedtime", users = new[] { "kid" }, between = $"{At(now - TimeSpan.FromHours(1))}-{At(now + TimeSpan.FromHours(1))}" });
        await kit.RuleAsync("later", new { action = "stop", message = "Later", users = new[] { "bob" }, between = $"{At(now + TimeSpan.FromHours(2))}-{At(now + TimeSpan.FromHours(3))}" });
        kit.Start("kid", "kid-tv");
        kit.Start("bob", "bob-tv");

        await kit.EvaluateAsync();

        Assert.Equal(["kid-tv"], kit.Stopped().Keys);
    }

    [Fact]
    public async Task ScopeRules_StopEverySessionOfAUserOrOfADevice()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("shared-login", new { action = "stop", message = "This account is not to be shared", users = new[] { "carol" }, exemptDevices = new[] { "carol-home" } });
        await kit.RuleAsync("lost-phone", new { action = "stop", message = "This device is blocked", devices = new[] { "stolen-phone" } });
        kit.Start("carol", "carol-a");
        kit.Start("carol", "carol-b");
        kit.Start("carol", "carol-home");
        kit.Start("bob", "stolen-phone");
        kit.Start("bob", "bob-tv");

        await kit.EvaluateAsync();

        Assert.Equal(
            new Dictionary<string, string> { ["carol-a"] = "This account is not to be shared", ["carol-b"] = "This account is not to be shared", ["stolen-phone"] = "This device is blocked" },
            kit.Stopped());
    }

    [Fact]
    public async Task DryRun_StopsNothing_ButRecordsWhatItWouldHaveDone()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("trial", new { action = "stop", message = "Would stop", transcode = "any", dryRun = true });
        kit.Start("bob", "transcoding", video: "transcode");
        kit.Start("bob", "direct");

        var result = await kit.EvaluateAsync();
        var sessions = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/sessions", UriKind.Relative)));

        Assert.Empty(kit.Control.Terminations);
        Assert.Equal(2, kit.Control.State.Sessions().Count);
        var action = Assert.Single(result.GetProperty("actions").EnumerateArray());
        Assert.Equal(("trial", "stop", "dry-run", "bob", "Would stop"), (action.GetProperty("rule").GetString(), action.GetProperty("action").GetString(), action.GetProperty("outcome").GetString(), action.GetProperty("user").GetString(), action.GetProperty("message").GetString()));
        Assert.Equal("dry-run", sessions.GetProperty("actions")[0].GetProperty("outcome").GetString());
        var matching = sessions.GetProperty("sessions").EnumerateArray().Where(s => s.GetProperty("rules").GetArrayLength() > 0).ToList();
        Assert.Equal("transcode", Assert.Single(matching).GetProperty("videoDecision").GetString());
    }

    [Fact]
    public async Task SessionMatchingTwoRules_AndEvaluatedAgainAndAtOnce_IsStoppedOnce()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("rule-a", new { action = "stop", message = "A", transcode = "video" });
        await kit.RuleAsync("rule-b", new { action = "stop", message = "B", remote = true });
        kit.Start("bob", "both", video: "transcode", location: "wan");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => kit.EvaluateAsync()));
        await kit.EvaluateAsync();

        var termination = Assert.Single(kit.Control.Terminations);
        Assert.Equal("A", termination.Reason);
        Assert.Equal(1, kit.Control.RequestCounts.Where(c => c.Key.EndsWith("/status/sessions/terminate", StringComparison.Ordinal)).Sum(c => c.Value));
        var actions = await kit.App.JsonAsync(await kit.App.Client.GetAsync(new Uri("/api/sessions/actions", UriKind.Relative)));
        Assert.Equal(1, actions.GetArrayLength());
    }

    [Fact]
    public async Task LivePath_SessionStart_IsEvaluatedWithoutAnApiCall_AndActsOnce()
    {
        await using var kit = await CareKit.StartAsync(scheduler: true, settings: new Dictionary<string, string?>
        {
            ["Marquee:Webhooks:Live:SessionPollSeconds"] = "0.3",
            ["Marquee:Care:EvaluateEverySeconds"] = "0.5",
        });
        await kit.RuleAsync("no-transcode", new { action = "stop", message = "Direct play only", transcode = "video" });

        kit.Start("bob", "transcoder", video: "transcode");
        kit.Start("bob", "direct");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (kit.Control.Terminations.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.Delay(1500);
        Assert.Equal(new Dictionary<string, string> { ["transcoder"] = "Direct play only" }, kit.Stopped());
    }

    [Fact]
    public async Task NotifyOnly_RecordsAndStopsNothing()
    {
        await using var kit = await CareKit.StartAsync();
        await kit.RuleAsync("watch-remote", new { action = "notify", remote = true });
        kit.Start("bob", "remote", location: "wan");

        var result = await kit.EvaluateAsync();

        Assert.Empty(kit.Control.Terminations);
        var action = Assert.Single(result.GetProperty("actions").EnumerateArray());
        Assert.Equal(("notify", "done"), (action.GetProperty("action").GetString(), action.GetProperty("outcome").GetString()));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    public async Task TerminateFailing_IsRecordedAsAClearError_AndNotRetried(int status)
    {
        await using var kit = await CareKit.StartAsync();
        kit.Control.SetFault("POST /status/sessions/terminate", status == 401 ? new Marquee.Simulators.Infrastructure.FaultSpec { Unauthorized = 1 } : new Marquee.Simulators.Infrastructure.FaultSpec { Error500 = 1 });
        await kit.RuleAsync("stop-tv", new { action = "stop", message = "No", devices = new[] { "tv" } });
        kit.Start("bob", "tv");

        var first = await kit.EvaluateAsync();
        await kit.EvaluateAsync();
        await kit.EvaluateAsync();

        var outcome = Assert.Single(first.GetProperty("actions").EnumerateArray()).GetProperty("outcome").GetString()!;
        Assert.StartsWith("failed: ", outcome, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome, StringComparison.Ordinal);
        Assert.Equal(1, kit.Control.RequestCounts.Where(c => c.Key.EndsWith("/status/sessions/terminate", StringComparison.Ordinal)).Sum(c => c.Value));
        Assert.Single(kit.Control.State.Sessions());
    }

    [Fact]
    public async Task NotTheOwnersToken_IsAClearError_AndNothingIsStopped()
    {
        await using var kit = await CareKit.StartAsync(token: "{friend}");
        await kit.RuleAsync("stop-tv", new { action = "stop", message = "No", devices = new[] { "tv" } });
        kit.Start("bob", "tv");

        using var response = await kit.App.Client.PostAsync(new Uri("/api/sessions/evaluate", UriKind.Relative), null);

        var problem = await kit.App.JsonAsync(response);
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("owner's token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(kit.Control.Terminations);
        Assert.DoesNotContain(kit.Control.RequestCounts, c => c.Key.EndsWith("/status/sessions/terminate", StringComparison.Ordinal));
    }
}
