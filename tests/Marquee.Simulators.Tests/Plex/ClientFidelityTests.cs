using System.Net;
using System.Xml.Linq;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>What widely used Plex clients ask before and around their everyday calls (PLEX-API.md 1, 3, 4, 5.6, 7).</summary>
public sealed class ClientFidelityTests
{
    private static async Task PutAsync(HttpClient client, string path) =>
        (await client.PutAsync(new Uri(path, UriKind.Relative), null)).EnsureSuccessStatusCode();

    private static async Task<List<string>> LabelsAsync(HttpClient client, int key) =>
        (await SimHost.ItemAsync(client, key)).TryGetProperty("Label", out var labels)
            ? [.. labels.EnumerateArray().Select(l => l.GetProperty("tag").GetString()!).Order(StringComparer.Ordinal)]
            : [];

    [Fact]
    public async Task LibraryRoot_ListsSectionsRecentlyAddedAndOnDeck_InJsonAndXml()
    {
        await using var host = await SimHost.StartAsync();
        var json = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library");
        Assert.Equal(["sections", "recentlyAdded", "onDeck"], json.GetProperty("Directory").EnumerateArray().Select(d => d.GetProperty("key").GetString()));
        Assert.Equal("Plex Library", json.GetProperty("title1").GetString());

        var xml = await SimHost.XmlAsync(host.Pms(host.Owner.AccountToken, json: false), "/library");
        Assert.Equal("3", xml.Attribute("size")!.Value);
        Assert.Contains(xml.Elements("Directory"), d => d.Attribute("key")!.Value == "sections");

        using var anonymous = await host.Pms(null).GetAsync(new Uri("/library", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task RemoveLabels_WithTheCommaEncoded_AsClientsSendIt()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=a&label%5B1%5D.tag.tag=b&label%5B2%5D.tag.tag=x%2Cy&label%5B3%5D.tag.tag=keep");

        // URLSearchParams and python-plexapi encode the whole value: "a,b" arrives as a%2Cb, and a label with
        // a comma (encoded once more by python-plexapi before joining) as x%252Cy.
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B%5D.tag.tag-=a%2Cb%2Cx%252Cy");
        Assert.Equal(["keep"], await LabelsAsync(owner, movie));
    }

    [Fact]
    public async Task OneEdit_AddsRemovesAndLocks()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=a&label%5B1%5D.tag.tag=b");

        // python-plexapi's batch edit: existing labels plus the new one, the removal, and the lock in one PUT.
        await PutAsync(owner, $"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=a&label%5B1%5D.tag.tag=b&label%5B2%5D.tag.tag=c&label%5B%5D.tag.tag-=a%2Cb&label.locked=1");

        Assert.Equal(["c"], await LabelsAsync(owner, movie));
        var field = Assert.Single((await SimHost.ItemAsync(owner, movie)).GetProperty("Field").EnumerateArray());
        Assert.Equal("label", field.GetProperty("name").GetString());
        Assert.True(field.GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task IncludeMeta_DescribesTypesFiltersSortsFieldsAndOperators()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movies = await SimHost.ContainerAsync(owner, "/library/sections/1/all?includeMeta=1&includeAdvanced=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0");
        var type = Assert.Single(movies.GetProperty("Meta").GetProperty("Type").EnumerateArray());
        Assert.Equal("movie", type.GetProperty("type").GetString());
        Assert.True(type.GetProperty("active").GetBoolean());
        Assert.Contains(type.GetProperty("Filter").EnumerateArray(), f => f.GetProperty("filter").GetString() == "unwatched" && f.GetProperty("filterType").GetString() == "boolean");
        Assert.Contains(type.GetProperty("Sort").EnumerateArray(), s => s.GetProperty("key").GetString() == "titleSort" && s.GetProperty("default").GetString() == "asc");
        Assert.Contains(type.GetProperty("Field").EnumerateArray(), f => f.GetProperty("key").GetString() == "label" && f.GetProperty("type").GetString() == "tag");
        var tag = movies.GetProperty("Meta").GetProperty("FieldType").EnumerateArray().Single(f => f.GetProperty("type").GetString() == "tag");
        Assert.Contains(tag.GetProperty("Operator").EnumerateArray(), o => o.GetProperty("key").GetString() == "!=");
        Assert.False(movies.TryGetProperty("Metadata", out _));

        var shows = await SimHost.ContainerAsync(owner, "/library/sections/2/all?type=4&includeMeta=1&X-Plex-Container-Size=0");
        Assert.Equal(["show", "season", "episode"], shows.GetProperty("Meta").GetProperty("Type").EnumerateArray().Select(t => t.GetProperty("type").GetString()));
        Assert.True(shows.GetProperty("Meta").GetProperty("Type")[2].GetProperty("active").GetBoolean());

        var plain = await SimHost.ContainerAsync(owner, "/library/sections/1/all?X-Plex-Container-Size=0");
        Assert.False(plain.TryGetProperty("Meta", out _));

        var xml = await SimHost.XmlAsync(host.Pms(host.Owner.AccountToken, json: false), "/library/sections/1/all?includeMeta=1&X-Plex-Container-Start=0&X-Plex-Container-Size=1");
        var xmlType = xml.Element("Meta")!.Element("Type")!;
        Assert.Equal("movie", xmlType.Attribute("type")!.Value);
        Assert.NotEmpty(xmlType.Elements("Filter"));
        Assert.NotEmpty(xml.Element("Meta")!.Elements("FieldType").Elements("Operator"));
        Assert.Single(xml.Elements("Video"));
    }

    [Fact]
    public async Task SectionCollectionsFiltersAndSorts_Answer()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var collections = await SimHost.ContainerAsync(owner, "/library/sections/1/collections?includeMeta=1&includeAdvanced=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0");
        Assert.Equal(0, collections.GetProperty("totalSize").GetInt32());
        Assert.Equal("collection", collections.GetProperty("Meta").GetProperty("Type")[0].GetProperty("type").GetString());

        var filters = await SimHost.ContainerAsync(owner, "/library/sections/1/filters");
        Assert.Contains(filters.GetProperty("Directory").EnumerateArray(), d => d.GetProperty("filter").GetString() == "label");
        var sorts = await SimHost.ContainerAsync(owner, "/library/sections/2/sorts");
        Assert.Contains(sorts.GetProperty("Directory").EnumerateArray(), d => d.GetProperty("key").GetString() == "addedAt" && d.GetProperty("descKey").GetString() == "addedAt:desc");

        foreach (var path in new[] { "/library/sections/99/collections", "/library/sections/x/filters", "/library/sections/99/sorts" })
        {
            using var missing = await owner.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // Friends do not see "Movies 4K" (section 3).
        using var hidden = await host.Pms(host.Friend.ServerToken).GetAsync(new Uri("/library/sections/3/filters", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task Timeline_PlayingThenStoppedPastThreshold_LeavesAHistoryRow()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PostAsync(Timeline(movie, "playing", duration / 3, duration), null)).EnsureSuccessStatusCode();
        (await owner.PostAsync(Timeline(movie, "stopped", (long)(duration * 0.95), duration), null)).EnsureSuccessStatusCode();

        var since = $"viewedAt%3E={host.Control.Now.ToUnixTimeSeconds()}";
        var rows = SimHost.Metadata(await SimHost.ContainerAsync(owner, $"/status/sessions/history/all?sort=viewedAt:desc&metadataItemID={movie}&accountID=1&{since}")).ToList();
        var row = Assert.Single(rows);
        Assert.Equal(host.Control.Now.ToUnixTimeSeconds(), SimHost.Long(row, "viewedAt"));
        Assert.Empty(SimHost.Metadata(await SimHost.ContainerAsync(owner, "/status/sessions")));
    }

    [Fact]
    public async Task Timeline_OnlyAStopPastThreshold_PlaysWithAHistoryRow()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var duration = host.Sim.State.Item(movie)!.Duration;
        var owner = host.Pms(host.Owner.AccountToken);
        var before = SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount");
        (await owner.PostAsync(Timeline(movie, "stopped", (long)(duration * 0.95), duration), null)).EnsureSuccessStatusCode();

        Assert.Equal(before + 1, SimHost.Long(await SimHost.ItemAsync(owner, movie), "viewCount"));
        Assert.Single(SimHost.Metadata(await SimHost.ContainerAsync(owner, $"/status/sessions/history/all?metadataItemID={movie}&accountID=1&viewedAt%3E={host.Control.Now.ToUnixTimeSeconds()}")));
        Assert.Empty(SimHost.Metadata(await SimHost.ContainerAsync(owner, "/status/sessions")));
    }

    [Fact]
    public async Task PlexTvV2_AnswersXmlUnlessJsonIsAsked()
    {
        await using var host = await SimHost.StartAsync();
        using var xmlResponse = await host.PlexTv(host.Owner.AccountToken, json: false).GetAsync(new Uri("/api/v2/user", UriKind.Relative));
        Assert.StartsWith("application/xml", xmlResponse.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var user = XDocument.Parse(await xmlResponse.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("user", user.Name.LocalName);
        Assert.Equal(host.Owner.PlexTvId.ToString(System.Globalization.CultureInfo.InvariantCulture), user.Attribute("id")!.Value);
        Assert.Equal("1", user.Attribute("homeAdmin")!.Value);
        Assert.NotNull(user.Element("subscription"));

        var resources = XDocument.Parse(await host.PlexTv(host.Owner.AccountToken, json: false).GetStringAsync(new Uri("/api/v2/resources", UriKind.Relative))).Root!;
        var resource = Assert.Single(resources.Elements("resource"));
        Assert.Equal(host.Owner.ServerToken, resource.Attribute("accessToken")!.Value);
        Assert.Equal(host.Sim.BaseUri.GetLeftPart(UriPartial.Authority), resource.Element("connections")!.Element("connection")!.Attribute("uri")!.Value);

        using var bad = await host.PlexTv("nope", json: false).GetAsync(new Uri("/api/v2/user", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("1001", XDocument.Parse(await bad.Content.ReadAsStringAsync()).Root!.Element("error")!.Attribute("code")!.Value);

        var json = await SimHost.JsonAsync(host.PlexTv(host.Owner.AccountToken), "/api/v2/user");
        Assert.Equal(host.Owner.PlexTvId, json.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ShowSection_InProgressMatchesPartlyWatchedShows_AndShowsHaveALocation()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var shows = host.Sim.State.ItemsOfType(2, ItemType.Show);
        var (partly, resumed, full) = (shows[0], shows[1], shows[2]);
        foreach (var show in new[] { partly, resumed, full })
        {
            // Start from nothing watched: the generator gives the owner some watch state.
            await PutAsync(owner, $"/:/unscrobble?identifier=com.plexapp.plugins.library&key={show.RatingKey}");
        }

        await PutAsync(owner, $"/:/scrobble?identifier=com.plexapp.plugins.library&key={partly.Leaves().First().RatingKey}");
        await PutAsync(owner, $"/:/scrobble?identifier=com.plexapp.plugins.library&key={full.RatingKey}");
        var episode = resumed.Leaves().First();
        (await owner.PostAsync(Timeline(episode.RatingKey, "stopped", 60_000, episode.Duration), null)).EnsureSuccessStatusCode();

        var inProgress = SimHost.Metadata(await SimHost.ContainerAsync(owner, "/library/sections/2/all?type=2&inProgress=1")).Select(m => m.GetProperty("ratingKey").GetString()).ToList();
        Assert.Contains(partly.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture), inProgress);
        Assert.Contains(resumed.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture), inProgress);
        Assert.DoesNotContain(full.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture), inProgress);

        var detail = await SimHost.ItemAsync(owner, partly.RatingKey);
        var location = Assert.Single(detail.GetProperty("Location").EnumerateArray()).GetProperty("path").GetString()!;
        Assert.StartsWith("/data/media/tv/", location, StringComparison.Ordinal);
        Assert.All(partly.Leaves(), e => Assert.StartsWith(location + "/", e.File, StringComparison.Ordinal));
        var xml = await SimHost.XmlAsync(host.Pms(host.Owner.AccountToken, json: false), $"/library/metadata/{partly.RatingKey}");
        Assert.Equal(location, xml.Element("Directory")!.Element("Location")!.Attribute("path")!.Value);
    }

    private static Uri Timeline(int key, string state, long time, long duration) =>
        new($"/:/timeline?ratingKey={key}&key=/library/metadata/{key}&identifier=com.plexapp.plugins.library&state={state}&time={time}&duration={duration}", UriKind.Relative);
}
