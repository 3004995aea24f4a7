using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marquee.Simulators.Shoko;

namespace Marquee.Simulators.Tests.Shoko;

/// <summary>The Shoko simulator against SHOKO-API.md, over real HTTP: auth, paging, the propagation rules of both server lines, errors and faults.</summary>
public sealed class ShokoSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Auth_SameDeviceSameKey_WrongPassword401_NoKey401Empty_KeyFromHeaderOrQuery()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V5, password: "pw");
        using var http = new HttpClient { BaseAddress = sim.BaseUri };

        var first = await KeyAsync(http, "anna", "pw", "Marquee");
        var second = await KeyAsync(http, "anna", "pw", "MARQUEE");
        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", first);

        var wrong = await http.PostAsJsonAsync("/api/auth", new { user = "anna", pass = "nope", device = "Marquee" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Unauthorized", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var noDevice = await http.PostAsJsonAsync("/api/auth", new { user = "anna", pass = "pw" });
        Assert.Equal(HttpStatusCode.BadRequest, noDevice.StatusCode);

        var anonymous = await http.GetAsync(new Uri("/api/v3/User/Current", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(string.Empty, await anonymous.Content.ReadAsStringAsync());
        using var byQuery = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/v3/User/Current?apikey={first}", UriKind.Relative)));
        Assert.Equal("anna", byQuery.RootElement.GetProperty("Username").GetString());
        Assert.Equal("Started", JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v3/Init/Status", UriKind.Relative))).RootElement.GetProperty("State").GetString());
    }

    [Fact]
    public async Task Paging_TotalAndList_PageSizeZeroIsAll_OutOfRangeIs400Problem_PastEndIsEmpty()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V5);
        using var http = await ClientAsync(sim, "anna");

        using var page = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v3/Series?pageSize=2&page=1", UriKind.Relative)));
        Assert.Equal(6, page.RootElement.GetProperty("Total").GetInt32());
        Assert.Equal(2, page.RootElement.GetProperty("List").GetArrayLength());
        using var past = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v3/Series?pageSize=2&page=9", UriKind.Relative)));
        Assert.Equal(0, past.RootElement.GetProperty("List").GetArrayLength());

        var tooBig = await http.GetAsync(new Uri("/api/v3/Episode?pageSize=5000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Equal("application/problem+json", tooBig.Content.Headers.ContentType?.MediaType);
        Assert.Contains("pageSize", await tooBig.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Missing episodes (no file) are hidden unless asked for; every type is numbered from 1.
        var series = sim.State.Catalog.Series[2];
        using var visible = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/v3/Series/{series.Id}/Episode?pageSize=0&includeDataFrom=AniDB", UriKind.Relative)));
        using var all = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/v3/Series/{series.Id}/Episode?pageSize=0&includeDataFrom=AniDB&includeMissing=true", UriKind.Relative)));
        Assert.Equal(visible.RootElement.GetProperty("Total").GetInt32() + 1, all.RootElement.GetProperty("Total").GetInt32());
        var numbers = all.RootElement.GetProperty("List").EnumerateArray().Select(e => (e.GetProperty("AniDB").GetProperty("Type").GetString(), e.GetProperty("AniDB").GetProperty("EpisodeNumber").GetInt32())).ToList();
        Assert.Contains(("Episode", 1), numbers);
        Assert.Contains(("Special", 1), numbers);
        Assert.Contains(("Credits", 1), numbers);
    }

    [Fact]
    public async Task VersionBody_EachShape_AndABadShapeIs400()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V6);
        using var http = new HttpClient { BaseAddress = sim.BaseUri };

        var set = await http.GetStringAsync(new Uri("/api/v3/Init/Version", UriKind.Relative));
        (await http.PostAsync(new Uri("/_sim/version-body?shape=list", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var list = await http.GetStringAsync(new Uri("/api/v3/Init/Version", UriKind.Relative));
        (await http.PostAsync(new Uri("/_sim/version-body?shape=none", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var none = await http.GetStringAsync(new Uri("/api/v3/Init/Version", UriKind.Relative));
        var bad = await http.PostAsync(new Uri("/_sim/version-body?shape=tree", UriKind.Relative), null);

        Assert.Equal("6.0.0-dev.412", System.Text.Json.JsonDocument.Parse(set).RootElement.GetProperty("Server").GetProperty("Version").GetString());
        Assert.Contains(System.Text.Json.JsonDocument.Parse(list).RootElement.EnumerateArray(), c => c.GetProperty("Name").GetString() == "Server" && c.GetProperty("Version").GetString() == "6.0.0-dev.412");
        Assert.DoesNotContain("Version", none, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task V5_EpisodeWatched_MarksTheWholeFile_RepeatMovesTheDate_FilelessIsANoOp()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V5);
        using var http = await ClientAsync(sim, "anna");
        var (first, second) = MultiEpisode(sim);

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(new Uri($"/api/v3/Episode/{first}/Watched/true", UriKind.Relative), null)).StatusCode);
        Assert.Equal(Start, sim.Control.View("anna", first).Watched);
        Assert.Equal(Start, sim.Control.View("anna", second).Watched);

        sim.Control.AdvanceClock(TimeSpan.FromHours(1));
        await http.PostAsync(new Uri($"/api/v3/Episode/{first}/Watched/true", UriKind.Relative), null);
        Assert.Equal(Start.AddHours(1), sim.Control.View("anna", first).Watched);
        Assert.Equal(2, sim.Control.View("anna", first).WatchCount);

        var fileless = sim.State.Catalog.Episodes.First(e => sim.State.FilesOf(e).Count == 0);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(new Uri($"/api/v3/Episode/{fileless.Id}/Watched/true", UriKind.Relative), null)).StatusCode);
        Assert.Null(sim.Control.View("anna", fileless.Id).Watched);
        Assert.Null(sim.Control.View("bob", first).Watched);
    }

    [Fact]
    public async Task V6_EpisodeWatched_StaysOnTheEpisode_FilelessIsStored_UserDataTakesTheDate()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V6);
        using var http = await ClientAsync(sim, "anna");
        var (first, second) = MultiEpisode(sim);

        await http.PostAsync(new Uri($"/api/v3/Episode/{first}/Watched/true", UriKind.Relative), null);
        Assert.Equal(Start, sim.Control.View("anna", first).Watched);
        Assert.Null(sim.Control.View("anna", second).Watched);

        var fileless = sim.State.Catalog.Episodes.First(e => sim.State.FilesOf(e).Count == 0);
        await http.PostAsync(new Uri($"/api/v3/Episode/{fileless.Id}/Watched/true", UriKind.Relative), null);
        Assert.Equal(Start, sim.Control.View("anna", fileless.Id).Watched);

        var when = new DateTimeOffset(2026, 4, 30, 21, 5, 0, TimeSpan.Zero);
        var put = await http.PutAsync(new Uri($"/api/v3/Episode/{second}/UserData", UriKind.Relative), Json("{\"PlaybackCount\":1,\"LastPlayedAt\":\"2026-04-30T21:05:00Z\",\"IsFavorite\":false,\"UserTags\":[],\"UserRating\":null,\"LastUpdatedAt\":\"2026-04-30T21:05:00Z\"}"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(when, sim.Control.View("anna", second).Watched);
        Assert.Equal("2026-04-30T21:05:00Z", JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement.GetProperty("LastPlayedAt").GetString());
    }

    [Fact]
    public async Task V5_DatedFileWrite_SpreadsToEveryEpisode_SplitEpisodeNeedsBothHalves()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V5);
        using var http = await ClientAsync(sim, "anna");
        var (first, second) = MultiEpisode(sim);
        var file = sim.State.FilesOf(sim.Control.Episode(first))[0].File;
        var stats = await http.PutAsync(new Uri($"/api/v3/File/{file.Id}/UserStats", UriKind.Relative), Json("{\"ResumePosition\":\"00:00:00\",\"WatchedCount\":1,\"LastWatchedAt\":\"2026-04-30T21:05:00Z\",\"LastUpdatedAt\":\"2026-04-30T21:05:00Z\"}"));
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        var when = new DateTimeOffset(2026, 4, 30, 21, 5, 0, TimeSpan.Zero);
        Assert.Equal(when, sim.Control.View("anna", first).Watched);
        Assert.Equal(when, sim.Control.View("anna", second).Watched);

        var split = sim.State.Catalog.Episodes.First(e => sim.State.FilesOf(e).Count == 2);
        var halves = sim.State.FilesOf(split);
        await http.PostAsync(new Uri($"/api/v3/File/{halves[0].File.Id}/Watched/true", UriKind.Relative), null);
        Assert.False(sim.State.WatchedForFilter(sim.Control.User("anna"), split));
        await http.PostAsync(new Uri($"/api/v3/File/{halves[1].File.Id}/Watched/true", UriKind.Relative), null);
        Assert.True(sim.State.WatchedForFilter(sim.Control.User("anna"), split));

        var none = await http.GetAsync(new Uri($"/api/v3/File/{file.Id + 1}/UserStats", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal("No FileUserStats entry for the given fileID for the current user", await none.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scrobble_Is202_ClampsAndRejectsNegative_FinishingMarksWatched()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V5);
        using var http = await ClientAsync(sim, "anna");
        var episode = sim.State.Catalog.Episodes.First(e => e.Type == AnimeEpisodeType.Episode && sim.State.FilesOf(e).Count == 1 && sim.State.FilesOf(e)[0].File.Episodes.Count == 1);
        var file = sim.State.FilesOf(episode)[0].File;

        var pause = await http.PatchAsync(new Uri($"/api/v3/File/{file.Id}/Scrobble?event=pause&resumePosition=00:05:00", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5).Ticks, sim.Control.View("anna", episode.Id).ResumeTicks);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PatchAsync(new Uri($"/api/v3/File/{file.Id}/Scrobble?event=pause&resumePosition=-5", UriKind.Relative), null)).StatusCode);

        await http.PatchAsync(new Uri($"/api/v3/File/{file.Id}/Scrobble?event=stop&resumePosition={TimeSpan.FromHours(5).Ticks}", UriKind.Relative), null);
        Assert.NotNull(sim.Control.View("anna", episode.Id).Watched);
        Assert.Null(sim.Control.View("anna", episode.Id).ResumeTicks);
    }

    [Fact]
    public async Task Errors_AreMessageStrings_ModesAnswer503And400_FaultsAndCountsWork()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V5);
        using var http = await ClientAsync(sim, "anna");

        var missing = await http.GetAsync(new Uri("/api/v3/Episode/99999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("No Episode entry for the given episodeID", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(new Uri("/api/v3/Episode/0", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(new Uri("/api/v3/Episode/4200/Watched/yes", UriKind.Relative), null)).StatusCode);

        sim.Control.SetMode(ShokoServerMode.DatabaseBlocked);
        var blocked = await http.GetAsync(new Uri("/api/v3/Series", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Equal("Database is Blocked", await blocked.Content.ReadAsStringAsync());
        sim.Control.SetMode(ShokoServerMode.NotStarted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/api/v3/Series", UriKind.Relative))).StatusCode);
        sim.Control.SetMode(ShokoServerMode.Started);

        (await http.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint = "GET /api/v3/Series", spec = new { error500 = 1.0, times = 1 } })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync(new Uri("/api/v3/Series", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/v3/Series", UriKind.Relative))).StatusCode);
        Assert.Equal(4, sim.Control.RequestCounts["GET /api/v3/Series"]);
        var badFault = await http.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint = "GET /api/v3/Series", spec = new { error500 = 2.0 } });
        Assert.Equal(HttpStatusCode.BadRequest, badFault.StatusCode);
        var badMode = await http.PutAsJsonAsync(new Uri("/_sim/mode", UriKind.Relative), new { mode = "sideways" });
        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);
    }

    [Fact]
    public async Task PathEndsWith_ReturnsAnArray_WithCrossReferencesOfEveryEpisode()
    {
        await using var sim = await StartAsync(ShokoServerVersion.V5);
        using var http = await ClientAsync(sim, "anna");
        var (first, second) = MultiEpisode(sim);
        var file = sim.State.FilesOf(sim.Control.Episode(first))[0].File;
        var tail = file.RelativePath[(file.RelativePath.IndexOf('/', StringComparison.Ordinal) + 1)..];

        using var found = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v3/File/PathEndsWith?path=" + Uri.EscapeDataString(tail), UriKind.Relative)));
        var only = Assert.Single(found.RootElement.EnumerateArray());
        var ids = only.GetProperty("SeriesIDs")[0].GetProperty("EpisodeIDs").EnumerateArray().Select(e => e.GetProperty("ID").GetInt32()).ToList();
        Assert.Equal([first, second], ids);
    }

    internal static Task<ShokoSimulator> StartAsync(ShokoServerVersion version, string password = "") =>
        ShokoSimulator.StartAsync(new ShokoSimulatorOptions { Version = version, Password = password, ClockStart = Start }, CancellationToken.None);

    internal static async Task<HttpClient> ClientAsync(ShokoSimulator sim, string user)
    {
        var http = new HttpClient { BaseAddress = sim.BaseUri };
        http.DefaultRequestHeaders.Add("apikey", await KeyAsync(http, user, string.Empty, "tests"));
        return http;
    }

    private static (int First, int Second) MultiEpisode(ShokoSimulator sim)
    {
        var file = sim.State.Catalog.Files.First(f => f.Episodes.Count == 2);
        return (file.Episodes[0].EpisodeId, file.Episodes[1].EpisodeId);
    }

    private static async Task<string> KeyAsync(HttpClient http, string user, string pass, string device)
    {
        var response = await http.PostAsJsonAsync("/api/auth", new { user, pass, device });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("apikey").GetString()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
