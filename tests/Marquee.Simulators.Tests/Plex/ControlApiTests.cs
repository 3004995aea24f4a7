using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>The /_sim control API: faults, latency, counts, clock, items, state dump.</summary>
public sealed class ControlApiTests
{
    private const string SectionAll = "GET /library/sections/{id}/all";

    [Fact]
    public async Task Fault500_OnOneEndpoint_LeavesOthersAlone()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        using var set = await owner.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint = SectionAll, spec = new { error500 = 1.0 } });
        set.EnsureSuccessStatusCode();
        using var failed = await owner.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative));
        using var fine = await owner.GetAsync(new Uri("/library/sections", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        (await owner.DeleteAsync(new Uri("/_sim/faults", UriKind.Relative))).EnsureSuccessStatusCode();
        using var healed = await owner.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
    }

    [Fact]
    public async Task FaultWithTimes_MeetsThatManyRequests_ThenLiftsItself()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        using var set = await owner.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint = SectionAll, spec = new { error500 = 1.0, times = 2 } });
        set.EnsureSuccessStatusCode();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await owner.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task FaultWithNegativeTimes_Is400_AndSetsNothing()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        using var set = await owner.PutAsJsonAsync(new Uri("/_sim/faults", UriKind.Relative), new { endpoint = SectionAll, spec = new { error500 = 1.0, times = -1 } });
        Assert.Equal(HttpStatusCode.BadRequest, set.StatusCode);
        Assert.Contains("times", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var fine = await owner.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Fault429_CarriesRetryAfter()
    {
        await using var host = await SimHost.StartAsync();
        host.Control.SetFault(SectionAll, new FaultSpec { TooManyRequests = 1, RetryAfterSeconds = 7 });
        using var response = await host.Pms(host.Owner.AccountToken).GetAsync(new Uri("/library/sections/1/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Fault503_AndMalformedJson()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        host.Control.SetFault(SectionAll, new FaultSpec { Error503 = 1 });
        using var unavailable = await owner.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        host.Control.SetFault(SectionAll, new FaultSpec { MalformedJson = 1 });
        using var malformed = await owner.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        var body = await malformed.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task FaultReset_AbortsConnection()
    {
        await using var host = await SimHost.StartAsync();
        host.Control.SetFault(SectionAll, new FaultSpec { ConnectionReset = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => host.Pms(host.Owner.AccountToken).GetAsync(new Uri("/library/sections/1/all", UriKind.Relative)));
    }

    [Fact]
    public async Task FaultTimeout_HoldsRequest()
    {
        await using var host = await SimHost.StartAsync();
        host.Control.SetFault(SectionAll, new FaultSpec { Timeout = 1 });
        var client = host.Pms(host.Owner.AccountToken);
        client.Timeout = TimeSpan.FromMilliseconds(300);
        await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync(new Uri("/library/sections/1/all", UriKind.Relative)));
    }

    [Fact]
    public async Task FaultRateOption_FailsSomeButNotAllRequests()
    {
        await using var host = await SimHost.StartAsync(new() { Movies = 5, Shows = 1, FaultRate = 0.5, ClockStart = SimHost.Start });
        var owner = host.Pms(host.Owner.AccountToken);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await owner.GetAsync(new Uri("/library/sections", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(statuses, s => s is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable);
        using var control = await owner.GetAsync(new Uri("/_sim/counts", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
    }

    [Fact]
    public async Task Latency_DelaysResponses()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsJsonAsync(new Uri("/_sim/latency", UriKind.Relative), new { ms = 200 })).EnsureSuccessStatusCode();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (await owner.GetAsync(new Uri("/identity", UriKind.Relative))).EnsureSuccessStatusCode();
        Assert.True(watch.ElapsedMilliseconds >= 190, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Counts_PerEndpoint_ReadAndReset()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        host.Control.ResetCounts();
        for (var i = 0; i < 3; i++)
        {
            (await owner.GetAsync(new Uri($"/library/sections/{(i % 2) + 1}/all", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        (await host.PlexTv(host.Owner.AccountToken).GetAsync(new Uri("/api/v2/user", UriKind.Relative))).EnsureSuccessStatusCode();
        var counts = await SimHost.JsonAsync(owner, "/_sim/counts");
        Assert.Equal(3, counts.GetProperty(SectionAll).GetInt64());
        Assert.Equal(1, counts.GetProperty("plextv:GET /api/v2/user").GetInt64());
        (await owner.DeleteAsync(new Uri("/_sim/counts", UriKind.Relative))).EnsureSuccessStatusCode();
        Assert.False(host.Control.RequestCounts.ContainsKey(SectionAll));
    }

    [Fact]
    public async Task Clock_SetAndAdvance_DrivesTimestamps()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PostAsJsonAsync(new Uri("/_sim/clock", UriKind.Relative), new { set = 1_800_000_000 })).EnsureSuccessStatusCode();
        var clock = await SimHost.JsonAsync(owner, "/_sim/clock");
        Assert.Equal(1_800_000_000, clock.GetProperty("now").GetInt64());
        (await owner.PostAsJsonAsync(new Uri("/_sim/clock", UriKind.Relative), new { advanceSeconds = 60 })).EnsureSuccessStatusCode();
        var movie = host.FirstMovie();
        (await owner.PutAsync(new Uri($"/:/scrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        Assert.Equal(1_800_000_060, SimHost.Long(await SimHost.ItemAsync(owner, movie), "lastViewedAt"));
    }

    [Fact]
    public async Task Play_ToNinetyPercent_CreatesHistoryRowAndScrobble()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.FirstMovie();
        var history = host.Sim.State.History().Count;
        using var response = await owner.PostAsJsonAsync(new Uri("/_sim/play", UriKind.Relative), new { account = host.Home.Name, ratingKey = movie, percent = 95, stop = true });
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("scrobbled").GetBoolean());
        Assert.Equal(history + 1, host.Sim.State.History().Count);
        Assert.Equal(host.Home.LocalId, host.Sim.State.History()[^1].AccountId);
    }

    [Fact]
    public async Task Mark_Http_ChangesStateWithoutHistory()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.FirstMovie();
        var history = host.Sim.State.History().Count;
        (await owner.PostAsJsonAsync(new Uri("/_sim/mark", UriKind.Relative), new { account = "owner", ratingKey = movie, watched = false })).EnsureSuccessStatusCode();
        Assert.False((await SimHost.ItemAsync(owner, movie)).TryGetProperty("viewCount", out _));
        (await owner.PostAsJsonAsync(new Uri("/_sim/mark", UriKind.Relative), new { account = "owner", ratingKey = movie, watched = true })).EnsureSuccessStatusCode();
        Assert.Equal(1, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount"));
        Assert.Equal(history, host.Sim.State.History().Count);
    }

    [Fact]
    public async Task Items_AddRenameRemove()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        using var added = await owner.PostAsJsonAsync(new Uri("/_sim/items", UriKind.Relative), new { title = "Fresh", sectionId = 1, year = 2025 });
        added.EnsureSuccessStatusCode();
        var key = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ratingKey").GetString();
        Assert.Equal("Fresh", (await SimHost.JsonAsync(owner, $"/library/metadata/{key}")).GetProperty("MediaContainer").GetProperty("Metadata")[0].GetProperty("title").GetString());
        (await owner.PatchAsJsonAsync(new Uri($"/_sim/items/{key}", UriKind.Relative), new { title = "Renamed" })).EnsureSuccessStatusCode();
        Assert.Equal("Renamed", (await SimHost.JsonAsync(owner, $"/library/metadata/{key}")).GetProperty("MediaContainer").GetProperty("Metadata")[0].GetProperty("title").GetString());
        (await owner.DeleteAsync(new Uri($"/_sim/items/{key}", UriKind.Relative))).EnsureSuccessStatusCode();
        using var gone = await owner.GetAsync(new Uri($"/library/metadata/{key}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AccountState_Dump_ShowsStateHistoryAndSessions()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        host.Control.Play(host.Friend.Name, movie, 60_000);
        var dump = await SimHost.JsonAsync(host.Pms(null), $"/_sim/accounts/{host.Friend.Name}/state");
        Assert.Equal(host.Friend.LocalId, dump.GetProperty("localId").GetInt64());
        Assert.Single(dump.GetProperty("sessions").EnumerateArray());
        Assert.True(dump.GetProperty("states").EnumerateObject().Any());
        Assert.True(dump.GetProperty("history").GetArrayLength() > 0);
        using var unknown = await host.Pms(null).GetAsync(new Uri("/_sim/accounts/nobody/state", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Describe_ListsUrlsAndEveryAccountToken()
    {
        await using var host = await SimHost.StartAsync();
        var text = host.Sim.Describe();
        Assert.Contains(host.Sim.BaseUri.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(host.Sim.PlexTvUri.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(host.Sim.DiscoverUri.ToString(), text, StringComparison.Ordinal);
        Assert.All(host.Sim.Accounts, a =>
        {
            Assert.Contains(a.Name, text, StringComparison.Ordinal);
            Assert.Contains(a.AccountToken, text, StringComparison.Ordinal);
            Assert.Contains(a.PlexTvId.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        });
    }
}
