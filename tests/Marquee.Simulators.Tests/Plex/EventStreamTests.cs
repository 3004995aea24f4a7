using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 9a: /:/websockets/notifications and the SSE twin.</summary>
public sealed class EventStreamTests
{
    private static Uri Ws(SimHost host, string query = "") =>
        new UriBuilder(host.Sim.BaseUri) { Scheme = "ws", Path = "/:/websockets/notifications", Query = query }.Uri;

    private static async Task<JsonElement> NextAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
    }

    [Fact]
    public async Task Connect_BadToken_Refused401()
    {
        await using var host = await SimHost.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("X-Plex-Token", "bad");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Ws(host), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Timeline_EmitsPlayingWithSessionKeyFromSessions()
    {
        await using var host = await SimHost.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(Ws(host, $"X-Plex-Token={host.Owner.AccountToken}&filters=playing"), CancellationToken.None);
        var movie = host.FirstMovie();
        var play = host.Control.Play("owner", movie, 60_000, pause: true);

        var first = await NextAsync(socket);
        var container = first.GetProperty("NotificationContainer");
        Assert.Equal("playing", container.GetProperty("type").GetString());
        Assert.Equal(1, container.GetProperty("size").GetInt32());
        var entry = container.GetProperty("PlaySessionStateNotification")[0];
        Assert.Equal(play.SessionKey, entry.GetProperty("sessionKey").GetString());
        Assert.Equal("sim-player", entry.GetProperty("clientIdentifier").GetString());
        var states = new List<string?> { entry.GetProperty("state").GetString() };
        states.Add((await NextAsync(socket)).GetProperty("NotificationContainer").GetProperty("PlaySessionStateNotification")[0].GetProperty("state").GetString());
        states.Add((await NextAsync(socket)).GetProperty("NotificationContainer").GetProperty("PlaySessionStateNotification")[0].GetProperty("state").GetString());
        Assert.Equal(["playing", "playing", "paused"], states);
    }

    [Fact]
    public async Task FriendSocket_DoesNotSeeOwnerPlayback()
    {
        await using var host = await SimHost.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Plex-Token", host.Friend.ServerToken);
        await socket.ConnectAsync(Ws(host, "filters=playing"), CancellationToken.None);
        var movie = host.FirstMovie();
        host.Control.Play("owner", movie, 60_000);
        host.Control.Play(host.Friend.Name, movie, 30_000, clientId: "friend-tv");
        var entry = (await NextAsync(socket)).GetProperty("NotificationContainer").GetProperty("PlaySessionStateNotification")[0];
        Assert.Equal("friend-tv", entry.GetProperty("clientIdentifier").GetString());
    }

    [Fact]
    public async Task ScrobbleAndRate_EmitNothingByDefault()
    {
        await using var host = await SimHost.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Plex-Token", host.Owner.AccountToken);
        await socket.ConnectAsync(Ws(host, "filters="), CancellationToken.None);
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.FirstMovie();
        (await owner.PutAsync(new Uri($"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await owner.PutAsync(new Uri($"/:/rate?identifier=com.plexapp.plugins.library&key={movie}&rating=2", UriKind.Relative), null)).EnsureSuccessStatusCode();
        host.Control.AddMovie(1, "Marker", 2020);
        var entry = (await NextAsync(socket)).GetProperty("NotificationContainer");
        Assert.Equal("timeline", entry.GetProperty("type").GetString());
        Assert.Equal(0, entry.GetProperty("TimelineEntry")[0].GetProperty("state").GetInt32());
    }

    [Fact]
    public async Task ExclusionFilter_SkipsListedTypes_SingularPathAccepted()
    {
        await using var host = await SimHost.StartAsync();
        using var socket = new ClientWebSocket();
        var singular = new UriBuilder(host.Sim.BaseUri) { Scheme = "ws", Path = "/:/websocket/notifications", Query = $"X-Plex-Token={host.Owner.AccountToken}&filters=-playing,activity" }.Uri;
        await socket.ConnectAsync(singular, CancellationToken.None);
        host.Control.Play("owner", host.FirstMovie(), 60_000, stop: true);
        var added = host.Control.AddMovie(1, "Only Timeline", 2021);
        var entry = (await NextAsync(socket)).GetProperty("NotificationContainer");
        Assert.Equal("timeline", entry.GetProperty("type").GetString());
        Assert.Equal(added.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.GetProperty("TimelineEntry")[0].GetProperty("itemID").GetString());
    }

    [Fact]
    public async Task Restart_ClosesSocketsAndRestartsSessionKeys()
    {
        await using var host = await SimHost.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Plex-Token", host.Owner.AccountToken);
        await socket.ConnectAsync(Ws(host), CancellationToken.None);
        var movie = host.FirstMovie();
        host.Control.Play("owner", movie, 10_000, stop: true);
        var second = host.Control.Play("owner", movie, 10_000, stop: true);
        Assert.Equal("2", second.SessionKey);
        host.Control.Stream.Restart();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
        }
        while (result.MessageType != WebSocketMessageType.Close);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, result.CloseStatus);
        Assert.Equal("1", host.Control.Play("owner", movie, 10_000, stop: true).SessionKey);
    }

    [Fact]
    public async Task EventSource_SendsNamedEventsWithSingleObject()
    {
        await using var host = await SimHost.StartAsync();
        var client = host.Pms(host.Owner.AccountToken, json: false);
        using var response = await client.GetAsync(new Uri("/:/eventsource/notifications?filters=playing", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: ping", await reader.ReadLineAsync());
        await reader.ReadLineAsync();
        await reader.ReadLineAsync();
        host.Control.Play("owner", host.FirstMovie(), 10_000);
        Assert.Equal("event: playing", await reader.ReadLineAsync());
        var data = (await reader.ReadLineAsync())!;
        Assert.StartsWith("data: {\"PlaySessionStateNotification\":{", data, StringComparison.Ordinal);
    }
}
