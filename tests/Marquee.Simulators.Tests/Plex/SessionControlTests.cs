using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Infrastructure;
using Marquee.Simulators.Plex;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 6: several sessions per account, stream details, terminate with a reason the player receives; 5.7: the trash.</summary>
public sealed class SessionControlTests
{
    [Fact]
    public async Task StartedSessions_ShowPlayerDecisionsLocationAndBandwidth()
    {
        await using var host = await SimHost.StartAsync();
        var movies = host.Sim.State.ItemsOfType(3, Marquee.Simulators.Plex.Model.ItemType.Movie);
        var control = new HttpClient { BaseAddress = host.Sim.BaseUri };
        using var first = await control.PostAsJsonAsync(new Uri("/_sim/sessions", UriKind.Relative), new { account = host.Friend.Name, ratingKey = movies[0].RatingKey, clientId = "tv-1", product = "Plex for Android (TV)", platform = "Android", videoDecision = "transcode", audioDecision = "copy", outputHeight = 720, location = "wan", bandwidth = 20000 });
        first.EnsureSuccessStatusCode();
        host.Control.StartSession(new SessionSpec(host.Friend.Name, host.FirstMovie(), ClientId: "phone-1", Product: "Plex for iOS", Platform: "iOS", Paused: true, PausedMinutes: 30));

        var sessions = SimHost.Metadata(await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/status/sessions")).ToList();

        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(host.Friend.Name, s.GetProperty("User").GetProperty("title").GetString()));
        var tv = sessions.Single(s => s.GetProperty("Player").GetProperty("machineIdentifier").GetString() == "tv-1");
        Assert.Equal("wan", tv.GetProperty("Session").GetProperty("location").GetString());
        Assert.Equal(20000, tv.GetProperty("Session").GetProperty("bandwidth").GetInt32());
        Assert.False(tv.GetProperty("Player").GetProperty("local").GetBoolean());
        Assert.Equal("Android", tv.GetProperty("Player").GetProperty("platform").GetString());
        Assert.Equal("transcode", tv.GetProperty("TranscodeSession").GetProperty("videoDecision").GetString());
        Assert.Equal("copy", tv.GetProperty("TranscodeSession").GetProperty("audioDecision").GetString());
        Assert.Equal(720, tv.GetProperty("TranscodeSession").GetProperty("height").GetInt32());
        Assert.Equal("4k", tv.GetProperty("Media")[0].GetProperty("videoResolution").GetString());
        Assert.Equal("transcode", tv.GetProperty("Media")[0].GetProperty("Part")[0].GetProperty("decision").GetString());
        var phone = sessions.Single(s => s.GetProperty("Player").GetProperty("machineIdentifier").GetString() == "phone-1");
        Assert.Equal("paused", phone.GetProperty("Player").GetProperty("state").GetString());
        Assert.False(phone.TryGetProperty("TranscodeSession", out _));
        Assert.Equal("directplay", phone.GetProperty("Media")[0].GetProperty("Part")[0].GetProperty("decision").GetString());
        var dump = await control.GetFromJsonAsync<JsonElement>(new Uri("/_sim/sessions", UriKind.Relative));
        var pausedAt = dump.EnumerateArray().Single(s => s.GetProperty("clientId").GetString() == "phone-1").GetProperty("pausedAt").GetInt64();
        Assert.Equal(host.Control.Now.ToUnixTimeSeconds() - 1800, pausedAt);
    }

    [Theory]
    [InlineData("""{"account":"owner","ratingKey":1,"videoDecision":"maybe"}""")]
    [InlineData("""{"account":"owner","ratingKey":1,"location":"moon"}""")]
    [InlineData("""{"account":"owner","ratingKey":1,"bandwidth":-1}""")]
    public async Task StartSession_BadSpec_Is400(string body)
    {
        await using var host = await SimHost.StartAsync();
        var control = new HttpClient { BaseAddress = host.Sim.BaseUri };
        using var content = new StringContent(body.Replace("\"ratingKey\":1", $"\"ratingKey\":{host.FirstMovie()}", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
        using var response = await control.PostAsync(new Uri("/_sim/sessions", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Terminate_EndsOneSession_AndThePlayerReceivesTheReason()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var kept = host.Control.StartSession(new SessionSpec(host.Friend.Name, movie, ClientId: "a"));
        var killed = host.Control.StartSession(new SessionSpec(host.Friend.Name, movie, ClientId: "b"));
        var owner = host.Pms(host.Owner.AccountToken);

        using var response = await SimHost.SendAsync(owner, HttpMethod.Get, $"/status/sessions/terminate?sessionId={killed.SessionId}&reason=No%204K%20transcoding");

        response.EnsureSuccessStatusCode();
        var left = SimHost.Metadata(await SimHost.ContainerAsync(owner, "/status/sessions")).Select(s => s.GetProperty("Session").GetProperty("id").GetString()).ToList();
        Assert.Equal([kept.SessionId], left);
        var termination = Assert.Single(host.Control.Terminations);
        Assert.Equal(("b", "No 4K transcoding", false), (termination.ClientIdentifier, termination.Reason, termination.Delivered));
        Assert.Equal("No 4K transcoding", host.Control.Report(host.Friend.Name, "b", movie));
        var control = new HttpClient { BaseAddress = host.Sim.BaseUri };
        var listed = await control.GetFromJsonAsync<JsonElement>(new Uri("/_sim/terminations", UriKind.Relative));
        Assert.True(listed[0].GetProperty("delivered").GetBoolean());
        Assert.Equal(killed.SessionId, listed[0].GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Terminate_FriendTokenOrFault_IsRefused_AndNothingEnds()
    {
        await using var host = await SimHost.StartAsync();
        var session = host.Control.StartSession(new SessionSpec(host.Friend.Name, host.FirstMovie()));
        host.Control.SetFault("POST /status/sessions/terminate", new FaultSpec { Error500 = 1, Times = 1 });

        using var faulted = await SimHost.SendAsync(host.Pms(host.Owner.AccountToken), HttpMethod.Post, $"/status/sessions/terminate?sessionId={session.SessionId}&reason=x");
        using var friend = await SimHost.SendAsync(host.Pms(host.Friend.ServerToken), HttpMethod.Post, $"/status/sessions/terminate?sessionId={session.SessionId}&reason=x");

        Assert.Equal(HttpStatusCode.Forbidden, friend.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, faulted.StatusCode);
        Assert.Single(host.Control.State.Sessions());
        Assert.Empty(host.Control.Terminations);
    }

    [Fact]
    public async Task Trash_CountsUnavailableItems_AndEmptyTrashRemovesThem()
    {
        await using var host = await SimHost.StartAsync();
        var movies = host.Sim.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie);
        host.Control.MarkUnavailable(movies[0].RatingKey);
        host.Control.MarkUnavailable(movies[1].RatingKey);
        var owner = host.Pms(host.Owner.AccountToken);

        var trash = await SimHost.ContainerAsync(owner, "/library/sections/1/all?type=1&trash=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0");
        var item = await SimHost.ItemAsync(owner, movies[0].RatingKey);
        Assert.Equal(2, trash.GetProperty("totalSize").GetInt32());
        Assert.Equal(host.Control.Now.ToUnixTimeSeconds(), item.GetProperty("deletedAt").GetInt64());

        (await owner.PutAsync(new Uri("/library/sections/1/emptyTrash", UriKind.Relative), null)).EnsureSuccessStatusCode();

        var after = await SimHost.ContainerAsync(owner, "/library/sections/1/all?type=1&trash=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0");
        Assert.Equal(0, after.GetProperty("totalSize").GetInt32());
    }
}
