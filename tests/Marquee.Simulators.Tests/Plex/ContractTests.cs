using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>
/// Replays the request behind every recorded example (PLEX-API.md section 13) and compares the
/// simulator's answer with the example by shape, as JSON and, for PMS, as XML (1.3a).
/// </summary>
public sealed class ContractTests : IAsyncLifetime
{
    private SimHost _host = null!;
    private WebhookReceiver _receiver = null!;
    private int _movie;
    private int _show;

    public static TheoryData<string, string> PmsRequests => new()
    {
        { "pms-get-identity.response.json", "/identity" },
        { "pms-get-root.response.json", "/" },
        { "pms-get-accounts.response.json", "/accounts" },
        { "pms-get-library-sections.response.json", "/library/sections" },
        { "pms-get-section-all-movies-page1.response.json", "/library/sections/1/all?type=1&includeGuids=1&X-Plex-Container-Start=0&X-Plex-Container-Size=2" },
        { "pms-get-section-all-movies-page2.response.json", "/library/sections/1/all?type=1&includeGuids=1&X-Plex-Container-Start=2&X-Plex-Container-Size=2" },
        { "pms-get-section-all-count-only.response.json", "/library/sections/1/all?type=1&includeGuids=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0" },
        { "pms-get-section-all-shows.response.json", "/library/sections/2/all?type=2&includeGuids=1&X-Plex-Container-Start=0&X-Plex-Container-Size=5" },
        { "pms-get-section-all-episodes.response.json", "/library/sections/2/all?type=4&includeGuids=1&X-Plex-Container-Start=0&X-Plex-Container-Size=4" },
        { "pms-get-section-all-legacy-movies.response.json", "/library/sections/1/all?type=1&X-Plex-Container-Start=0&X-Plex-Container-Size=10" },
        { "pms-get-section-all-legacy-episodes.response.json", "/library/sections/4/all?type=4&X-Plex-Container-Start=0&X-Plex-Container-Size=10" },
        { "pms-get-metadata-movie.response.json", "/library/metadata/{movie}" },
        { "pms-get-metadata-show-children.response.json", "/library/metadata/{show}/children" },
        { "pms-get-metadata-show-allLeaves.response.json", "/library/metadata/{show}/allLeaves" },
        { "pms-get-history-all.response.json", "/status/sessions/history/all?sort=viewedAt:desc&X-Plex-Container-Start=0&X-Plex-Container-Size=3" },
        { "pms-get-status-sessions.response.json", "/status/sessions" },
    };

    public async Task InitializeAsync()
    {
        _host = await SimHost.StartAsync(new PlexSimulatorOptions { Movies = 40, Shows = 10, ClockStart = SimHost.Start });
        _receiver = await WebhookReceiver.StartAsync();
        var state = _host.Sim.State;
        _movie = state.ItemsOfType(1, ItemType.Movie).First(m => m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).RatingKey;
        _show = state.ItemsOfType(2, ItemType.Show).First(m => m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).RatingKey;
        var owner = _host.Pms(_host.Owner.AccountToken);
        (await owner.PutAsync(new Uri($"/library/sections/1/all?type=1&id={_movie}&label%5B0%5D.tag.tag=favorites&label%5B1%5D.tag.tag=watchsync%3Aowner&label.locked=1", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await owner.PutAsync(new Uri($"/:/rate?identifier=com.plexapp.plugins.library&key={_movie}&rating=9", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await owner.PutAsync(new Uri($"/:/scrobble?identifier=com.plexapp.plugins.library&key={_movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(PmsRequests))]
    public async Task Pms_Json_MatchesExampleShape(string example, string path)
    {
        await PrepareSessionsAsync(example);
        var actual = await SimHost.JsonAsync(_host.Pms(_host.Owner.AccountToken), Resolve(path));
        AssertShape(example, ShapeComparer.Compare(actual, TestData.Json(example)));
    }

    [Theory]
    [MemberData(nameof(PmsRequests))]
    public async Task Pms_Xml_MatchesExampleShape(string example, string path)
    {
        await PrepareSessionsAsync(example);
        var actual = await SimHost.XmlAsync(_host.Pms(_host.Owner.AccountToken, json: false), Resolve(path));
        AssertShape(example, ShapeComparer.Compare(actual, JsonToXml.Convert(TestData.Json(example))));
    }

    [Fact]
    public async Task Pms_EmptySessions_MatchesExampleShape()
    {
        var actual = await SimHost.JsonAsync(_host.Pms(_host.Owner.AccountToken), "/status/sessions");
        Assert.Equal(0, actual.GetProperty("MediaContainer").GetProperty("size").GetInt32());
        AssertShape("empty sessions", ShapeComparer.Compare(actual, TestData.Json("pms-get-status-sessions-empty.response.json")));
    }

    [Fact]
    public async Task PlexTv_Json_MatchesExampleShapes()
    {
        var anonymous = _host.PlexTv(null);
        using var created = await anonymous.PostAsync(new Uri("/api/v2/pins?strong=true", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pin = await ParseAsync(created);
        AssertShape("pins", ShapeComparer.Compare(pin, TestData.Json("plextv-post-pins.response.json")));
        var id = pin.GetProperty("id").GetInt32();
        Assert.True(_host.Control.ApprovePin(id, "owner"));
        AssertShape("pin claimed", ShapeComparer.Compare(await SimHost.JsonAsync(anonymous, $"/api/v2/pins/{id}"), TestData.Json("plextv-get-pin-claimed.response.json")));
        using var expired = await anonymous.GetAsync(new Uri("/api/v2/pins/1", UriKind.Relative));
        AssertShape("pin expired", ShapeComparer.Compare(await ParseAsync(expired), TestData.Json("plextv-get-pin-expired.response.json")));

        var owner = _host.PlexTv(_host.Owner.AccountToken);
        AssertShape("user", ShapeComparer.Compare(await SimHost.JsonAsync(owner, "/api/v2/user"), TestData.Json("plextv-get-user.response.json")));
        using var bad = await _host.PlexTv("nope").GetAsync(new Uri("/api/v2/user", UriKind.Relative));
        AssertShape("401", ShapeComparer.Compare(await ParseAsync(bad), TestData.Json("plextv-error-401.response.json")));
        var noClient = _host.Client(_host.Sim.PlexTvUri, _host.Owner.AccountToken, json: true);
        noClient.DefaultRequestHeaders.Remove("X-Plex-Client-Identifier");
        using var missing = await noClient.GetAsync(new Uri("/api/v2/user", UriKind.Relative));
        AssertShape("400", ShapeComparer.Compare(await ParseAsync(missing), TestData.Json("plextv-error-400-missing-client-id.response.json")));
        AssertShape("resources", ShapeComparer.Compare(await SimHost.JsonAsync(owner, "/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1"), TestData.Json("plextv-get-resources.response.json")));
        AssertShape("home users", ShapeComparer.Compare(await SimHost.JsonAsync(owner, "/api/v2/home/users"), TestData.Json("plextv-get-home-users.response.json")));
        using var switched = await owner.PostAsync(new Uri($"/api/v2/home/users/{_host.Home.Uuid}/switch", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, switched.StatusCode);
        AssertShape("switch", ShapeComparer.Compare(await ParseAsync(switched), TestData.Json("plextv-post-home-user-switch.response.json")));
        AssertShape("view state sync", ShapeComparer.Compare(await SimHost.JsonAsync(owner, "/api/v2/user/view_state_sync"), TestData.Json("plextv-get-view-state-sync.response.json")));
    }

    [Fact]
    public async Task PlexTv_Xml_MatchesExampleShapes()
    {
        var owner = _host.PlexTv(_host.Owner.AccountToken, json: false);
        AssertShape("users v1", ShapeComparer.Compare(await SimHost.XmlAsync(owner, "/api/users/"), TestData.Xml("plextv-get-users-v1.response.xml")));
        AssertShape("shared servers", ShapeComparer.Compare(await SimHost.XmlAsync(owner, $"/api/servers/{_host.Sim.MachineIdentifier}/shared_servers"), TestData.Xml("plextv-get-servers-shared-servers.response.xml")));
    }

    [Fact]
    public async Task Discover_Json_MatchesExampleShapes()
    {
        var movieHex = _host.Sim.State.Item(_movie)!.PrimaryGuid.Split('/')[^1];
        var showHex = _host.Sim.State.Item(_show)!.PrimaryGuid.Split('/')[^1];
        var discover = _host.Discover(_host.Owner.AccountToken);
        (await discover.PutAsync(new Uri($"/actions/addToWatchlist?ratingKey={movieHex}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        (await discover.PutAsync(new Uri($"/actions/addToWatchlist?ratingKey={showHex}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var list = await SimHost.JsonAsync(discover, "/library/sections/watchlist/all?includeGuids=1");
        AssertShape("watchlist", ShapeComparer.Compare(list, TestData.Json("discover-get-watchlist.response.json")));
        var userState = await SimHost.JsonAsync(_host.Metadata(_host.Owner.AccountToken), $"/library/metadata/{movieHex}/userState");
        AssertShape("userState", ShapeComparer.Compare(userState, TestData.Json("discover-get-userstate.response.json")));
    }

    [Theory]
    [InlineData("media.play", "plex-webhook-media-play.payload.json")]
    [InlineData("media.pause", "plex-webhook-media-pause.payload.json")]
    [InlineData("media.resume", "plex-webhook-media-resume.payload.json")]
    [InlineData("media.stop", "plex-webhook-media-stop.payload.json")]
    [InlineData("media.scrobble", "plex-webhook-media-scrobble.payload.json")]
    [InlineData("media.rate", "plex-webhook-media-rate.payload.json")]
    [InlineData("playback.started", "plex-webhook-playback-started.payload.json")]
    [InlineData("library.new", "plex-webhook-library-new.payload.json")]
    [InlineData("admin.database.backup", "plex-webhook-admin-database-backup.payload.json")]
    [InlineData("admin.database.corrupted", "plex-webhook-admin-database-corrupted.payload.json")]
    [InlineData("device.new", "plex-webhook-device-new.payload.json")]
    public async Task Webhook_Payload_MatchesExampleShape(string eventName, string example)
    {
        _host.Control.SetWebhooks("owner", [_receiver.Url]);
        var episode = _host.Sim.State.Item(_show)!.Leaves().First().RatingKey;
        switch (eventName)
        {
            case "media.rate":
                (await _host.Pms(_host.Owner.AccountToken).PutAsync(new Uri($"/:/rate?identifier=com.plexapp.plugins.library&key={episode}&rating=8", UriKind.Relative), null)).EnsureSuccessStatusCode();
                break;
            case "library.new":
                _host.Control.AddMovie(1, "Contract Movie", 2024);
                break;
            case "admin.database.backup" or "admin.database.corrupted" or "device.new":
                _host.Control.SendAdminWebhook(eventName);
                break;
            case "playback.started":
                _host.Control.Play(_host.Friend.Name, episode, 60_000, stop: true);
                break;
            default:
                _host.Control.Play("owner", episode, 60_000, pause: true);
                _host.Control.Play("owner", episode, 120_000);
                _host.Control.Play("owner", episode, _host.Sim.State.Item(episode)!.Duration, stop: true);
                break;
        }

        await _host.Control.WaitForWebhooksAsync(CancellationToken.None);
        var payload = Assert.Single(_receiver.Payloads(eventName).Take(1));
        AssertShape(example, ShapeComparer.Compare(payload, TestData.Json(example)));
    }

    [Theory]
    [InlineData("pms-ws-playing-progress.message.json", "playing")]
    [InlineData("pms-ws-playing-paused.message.json", "paused")]
    [InlineData("pms-ws-playing-stopped.message.json", "stopped")]
    [InlineData("pms-ws-timeline-created.message.json", "created")]
    [InlineData("pms-ws-timeline-processed.message.json", "processed")]
    [InlineData("pms-ws-timeline-deleted.message.json", "deleted")]
    [InlineData("pms-ws-activity-section-scan.message.json", "scan")]
    [InlineData("pms-ws-activity-refresh-items-ended.message.json", "refresh")]
    [InlineData("pms-ws-status-scan-complete.message.json", "status")]
    public async Task EventStream_Message_MatchesExampleShape(string example, string trigger)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Plex-Token", _host.Owner.AccountToken);
        var ws = new UriBuilder(_host.Sim.BaseUri) { Scheme = "ws", Path = "/:/websockets/notifications" }.Uri;
        await socket.ConnectAsync(ws, CancellationToken.None);
        var owner = _host.Pms(_host.Owner.AccountToken);
        var episode = _host.Sim.State.Item(_show)!.Leaves().Skip(1).First().RatingKey;
        Func<JsonElement, bool> wanted = trigger switch
        {
            "playing" => m => Entry(m, "PlaySessionStateNotification") is { } e && e.GetProperty("state").GetString() == "playing",
            "paused" => m => Entry(m, "PlaySessionStateNotification") is { } e && e.GetProperty("state").GetString() == "paused",
            "stopped" => m => Entry(m, "PlaySessionStateNotification") is { } e && e.GetProperty("state").GetString() == "stopped",
            "created" => m => Entry(m, "TimelineEntry") is { } e && e.GetProperty("state").GetInt32() == 0,
            "processed" => m => Entry(m, "TimelineEntry") is { } e && e.GetProperty("state").GetInt32() == 5,
            "deleted" => m => Entry(m, "TimelineEntry") is { } e && e.GetProperty("state").GetInt32() == 9,
            "scan" => m => Entry(m, "ActivityNotification") is { } e && e.GetProperty("event").GetString() == "updated",
            "refresh" => m => Entry(m, "ActivityNotification") is { } e && e.GetProperty("event").GetString() == "ended",
            _ => m => Entry(m, "StatusNotification") is { } e && e.GetProperty("title").GetString() == "Library scan complete",
        };
        switch (trigger)
        {
            case "playing" or "paused" or "stopped":
                _host.Control.Play("owner", episode, 60_000, pause: true, stop: true);
                break;
            case "created" or "processed":
                _host.Control.AddMovie(1, "Stream Movie", 2024);
                break;
            case "deleted":
                Assert.True(_host.Control.Remove(episode));
                break;
            case "scan" or "status":
                (await owner.PostAsync(new Uri("/library/sections/1/refresh", UriKind.Relative), null)).EnsureSuccessStatusCode();
                break;
            default:
                (await owner.PutAsync(new Uri($"/library/metadata/{_movie}/refresh", UriKind.Relative), null)).EnsureSuccessStatusCode();
                break;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement;
            if (wanted(message))
            {
                AssertShape(example, ShapeComparer.Compare(message, TestData.Json(example)));
                return;
            }
        }
    }

    private static JsonElement? Entry(JsonElement message, string array) =>
        message.GetProperty("NotificationContainer").TryGetProperty(array, out var a) ? a[0] : null;

    private static async Task<JsonElement> ParseAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static void AssertShape(string example, List<string> problems) =>
        Assert.True(problems.Count == 0, $"{example}:\n{string.Join("\n", problems)}");

    private string Resolve(string path) => path.Replace("{movie}", _movie.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{show}", _show.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private Task PrepareSessionsAsync(string example)
    {
        if (example == "pms-get-status-sessions.response.json")
        {
            var episode = _host.Sim.State.Item(_show)!.Leaves().First().RatingKey;
            _host.Control.Play(_host.Friend.Name, episode, 60_000, clientId: "friend-player");
            _host.Control.Play("owner", _movie, 120_000, clientId: "owner-player");
        }

        return Task.CompletedTask;
    }
}
