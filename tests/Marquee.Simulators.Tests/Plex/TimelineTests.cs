using System.Net;
using System.Text.Json;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 items 8 (timeline) and 12 (terminate).</summary>
public sealed class TimelineTests
{
    private static Uri Timeline(int key, string state, long time, long? duration) =>
        new($"/:/timeline?ratingKey={key}&key=/library/metadata/{key}&identifier=com.plexapp.plugins.library&state={state}&time={time}" + (duration is null ? string.Empty : $"&duration={duration}"), UriKind.Relative);

    [Fact]
    public async Task Timeline_Playing_SetsOffsetAndShowsSession()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PostAsync(Timeline(movie, "playing", 600_000, duration), null)).EnsureSuccessStatusCode();

        var item = await SimHost.ItemAsync(owner, movie);
        Assert.Equal(600_000, SimHost.Long(item, "viewOffset"));
        Assert.Equal(SimHost.Start.ToUnixTimeSeconds(), SimHost.Long(item, "lastViewedAt"));
        var sessions = await SimHost.ContainerAsync(owner, "/status/sessions");
        var session = Assert.Single(SimHost.Metadata(sessions));
        Assert.Equal("1", session.GetProperty("User").GetProperty("id").GetString());
        Assert.Equal("playing", session.GetProperty("Player").GetProperty("state").GetString());
        Assert.Equal("test-client", session.GetProperty("Player").GetProperty("machineIdentifier").GetString());
        Assert.False(string.IsNullOrEmpty(session.GetProperty("Session").GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.String, session.GetProperty("sessionKey").ValueKind);
    }

    [Fact]
    public async Task Timeline_PassingThreshold_ScrobblesOnceWithHistoryRow()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        var owner = host.Pms(host.Owner.AccountToken);
        var before = SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount");
        var history = host.Sim.State.History().Count;
        host.Control.AdvanceClock(TimeSpan.FromHours(1));

        (await owner.PostAsync(Timeline(movie, "playing", duration / 2, duration), null)).EnsureSuccessStatusCode();
        (await owner.PostAsync(Timeline(movie, "playing", (long)(duration * 0.91), duration), null)).EnsureSuccessStatusCode();
        (await owner.PostAsync(Timeline(movie, "playing", (long)(duration * 0.95), duration), null)).EnsureSuccessStatusCode();

        var item = await SimHost.ItemAsync(owner, movie);
        Assert.Equal(before + 1, SimHost.Long(item, "viewCount"));
        Assert.False(item.TryGetProperty("viewOffset", out _));
        var rows = host.Sim.State.History();
        Assert.Equal(history + 1, rows.Count);
        Assert.Equal(host.Control.Now.ToUnixTimeSeconds(), rows[^1].ViewedAt);
        Assert.Equal(1, rows[^1].AccountId);
    }

    [Fact]
    public async Task Timeline_BelowThreshold_DoesNotScrobble()
    {
        await using var host = await SimHost.StartAsync(new() { Movies = 10, Shows = 1, PlayedThreshold = 0.5, ClockStart = SimHost.Start });
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        var owner = host.Pms(host.Owner.AccountToken);
        var before = SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount");
        (await owner.PostAsync(Timeline(movie, "playing", (long)(duration * 0.45), duration), null)).EnsureSuccessStatusCode();
        Assert.Equal(before, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount"));
        (await owner.PostAsync(Timeline(movie, "playing", (long)(duration * 0.55), duration), null)).EnsureSuccessStatusCode();
        Assert.Equal(before + 1, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount"));
    }

    [Fact]
    public async Task Timeline_TimeZero_DoesNotClearProgress()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PostAsync(Timeline(movie, "stopped", 300_000, duration), null)).EnsureSuccessStatusCode();
        (await owner.PostAsync(Timeline(movie, "stopped", 0, duration), null)).EnsureSuccessStatusCode();
        Assert.Equal(300_000, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewOffset"));
    }

    [Fact]
    public async Task Timeline_WithoutDuration_IsIgnored()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PostAsync(Timeline(movie, "stopped", 0, null), null)).EnsureSuccessStatusCode();
        var offset = SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewOffset");
        (await owner.PostAsync(Timeline(movie, "playing", 123_000, null), null)).EnsureSuccessStatusCode();
        Assert.Equal(offset, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewOffset"));
        Assert.Empty(host.Sim.State.Sessions());
    }

    [Fact]
    public async Task Timeline_WithoutClientIdentifier_IsIgnored()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var client = host.Pms(host.Owner.AccountToken);
        client.DefaultRequestHeaders.Remove("X-Plex-Client-Identifier");
        var offset = SimHost.Long(await SimHost.ItemAsync(client, movie), "viewOffset");
        using var response = await client.PostAsync(Timeline(movie, "playing", 777_000, 6_000_000), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(offset, SimHost.Long(await SimHost.ItemAsync(client, movie), "viewOffset"));
        Assert.Empty(host.Sim.State.Sessions());
    }

    [Fact]
    public async Task Timeline_BadState_Returns400()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).PostAsync(Timeline(host.FirstMovie(), "dancing", 1000, 6_000_000), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Timeline_Stopped_EndsSession()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PostAsync(Timeline(movie, "paused", 5000, 6_000_000), null)).EnsureSuccessStatusCode();
        Assert.Single(host.Sim.State.Sessions());
        (await owner.PostAsync(Timeline(movie, "stopped", 5000, 6_000_000), null)).EnsureSuccessStatusCode();
        var sessions = await SimHost.ContainerAsync(owner, "/status/sessions");
        Assert.Equal(0, sessions.GetProperty("size").GetInt32());
    }

    [Fact]
    public async Task Timeline_FriendToken_SessionCarriesLocalUserId()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        (await host.Pms(host.Friend.ServerToken).PostAsync(Timeline(movie, "playing", 5000, 6_000_000), null)).EnsureSuccessStatusCode();
        var sessions = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/status/sessions");
        var session = Assert.Single(SimHost.Metadata(sessions));
        Assert.Equal(host.Friend.LocalId.ToString(System.Globalization.CultureInfo.InvariantCulture), session.GetProperty("User").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Terminate_BySessionId_RemovesSessionAndNextTimelineGetsTermination()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PostAsync(Timeline(movie, "playing", 5000, 6_000_000), null)).EnsureSuccessStatusCode();
        var session = SimHost.Metadata(await SimHost.ContainerAsync(owner, "/status/sessions")).Single();
        var sessionId = session.GetProperty("Session").GetProperty("id").GetString();
        var sessionKey = session.GetProperty("sessionKey").GetString();

        using var byKey = await owner.PostAsync(new Uri($"/status/sessions/terminate?sessionId={sessionKey}&reason=bye", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, byKey.StatusCode);
        (await owner.PostAsync(new Uri($"/status/sessions/terminate?sessionId={sessionId}&reason=Closing%20time", UriKind.Relative), null)).EnsureSuccessStatusCode();

        Assert.Equal(0, (await SimHost.ContainerAsync(owner, "/status/sessions")).GetProperty("size").GetInt32());
        var next = await SimHost.ContainerAsync(owner, Timeline(movie, "playing", 6000, 6_000_000).ToString());
        Assert.Equal("Closing time", next.GetProperty("terminationText").GetString());
        Assert.True(next.GetProperty("terminationCode").GetInt32() > 0);
    }

    [Fact]
    public async Task Terminate_UnknownSession_Returns404()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).PostAsync(new Uri("/status/sessions/terminate?sessionId=nope", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Progress_Owner_SetsViewOffset()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.GetAsync(new Uri($"/:/progress?key={movie}&identifier=com.plexapp.plugins.library&time=420000&state=stopped", UriKind.Relative))).EnsureSuccessStatusCode();
        Assert.Equal(420_000, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewOffset"));
    }
}
