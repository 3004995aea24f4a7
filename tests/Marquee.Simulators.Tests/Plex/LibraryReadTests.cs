using System.Net;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>PLEX-API.md 10 item 4 (lists vs details) and the library read endpoints.</summary>
public sealed class LibraryReadTests
{
    [Fact]
    public async Task SectionAll_WithoutIncludeGuids_HoistsSectionAndOmitsGuidArray()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all");
        Assert.Equal(1, mc.GetProperty("librarySectionID").GetInt32());
        Assert.All(SimHost.Metadata(mc), m =>
        {
            Assert.False(m.TryGetProperty("Guid", out _));
            Assert.False(m.TryGetProperty("librarySectionID", out _));
        });
        var withGuids = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?includeGuids=1");
        Assert.Contains(SimHost.Metadata(withGuids), m => m.TryGetProperty("Guid", out _));
    }

    /// <summary>PLEX-API.md 1.5: a listing leaves out the items' own fields that excludeFields names, and only those.</summary>
    [Fact]
    public async Task SectionAll_ExcludeFields_LeavesOutTheItemsNamedFieldsButNotTheirChildrens()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var full = SimHost.Metadata(await SimHost.ContainerAsync(owner, "/library/sections/2/all?type=4&includeGuids=1")).ToList();
        var trimmed = SimHost.Metadata(await SimHost.ContainerAsync(owner, "/library/sections/2/all?type=4&includeGuids=1&excludeFields=summary,thumb,%20duration,grandparentTitle,nosuchfield")).ToList();

        Assert.Equal(full.Count, trimmed.Count);
        Assert.All(full, m => Assert.True(m.TryGetProperty("summary", out _) && m.TryGetProperty("duration", out _) && m.TryGetProperty("grandparentTitle", out _)));
        foreach (var (f, t) in full.Zip(trimmed))
        {
            var kept = f.EnumerateObject().Select(p => p.Name).Except(["summary", "thumb", "duration", "grandparentTitle"]).ToList();
            Assert.Equal(kept, t.EnumerateObject().Select(p => p.Name));
            Assert.Equal(f.GetProperty("ratingKey").GetString(), t.GetProperty("ratingKey").GetString());
            Assert.Equal(Raw(f, "Media"), Raw(t, "Media"));
            Assert.Equal(Raw(f, "Guid"), Raw(t, "Guid"));
        }

        Assert.Contains(trimmed, t => t.TryGetProperty("Media", out var media) && media.GetArrayLength() > 0);
        static string? Raw(System.Text.Json.JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value.GetRawText() : null;
    }

    [Fact]
    public async Task Metadata_Detail_HasGuidsLabelIdsFieldsAndSection()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)).RatingKey;
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(new Uri($"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=kids&label.locked=1", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var item = await SimHost.ItemAsync(owner, movie);
        Assert.Equal(1, item.GetProperty("librarySectionID").GetInt32());
        Assert.NotEmpty(item.GetProperty("Guid").EnumerateArray());
        var label = Assert.Single(item.GetProperty("Label").EnumerateArray());
        Assert.Equal("kids", label.GetProperty("tag").GetString());
        Assert.True(label.GetProperty("id").GetInt32() > 0);
        Assert.Equal("label", Assert.Single(item.GetProperty("Field").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ShowsAndSeasons_KeyEndsInChildren_MoviesDoNot()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var shows = await SimHost.ContainerAsync(owner, "/library/sections/2/all");
        var show = SimHost.Metadata(shows).First();
        Assert.EndsWith("/children", show.GetProperty("key").GetString(), StringComparison.Ordinal);
        var seasons = await SimHost.ContainerAsync(owner, show.GetProperty("key").GetString()!);
        Assert.All(SimHost.Metadata(seasons), s => Assert.EndsWith("/children", s.GetProperty("key").GetString(), StringComparison.Ordinal));
        var movies = await SimHost.ContainerAsync(owner, "/library/sections/1/all");
        Assert.All(SimHost.Metadata(movies), m => Assert.DoesNotContain("/children", m.GetProperty("key").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unwatched_UserStateFields_AreAbsent()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(new Uri($"/:/unscrobble?identifier=com.plexapp.plugins.library&key={movie}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var item = await SimHost.ItemAsync(owner, movie);
        Assert.False(item.TryGetProperty("viewCount", out _));
        Assert.False(item.TryGetProperty("viewOffset", out _));
    }

    [Fact]
    public async Task Children_OfShow_IncludeSpecialsAsSeasonZeroWhenPresent()
    {
        await using var host = await SimHost.StartAsync(new() { Movies = 1, Shows = 20, ClockStart = SimHost.Start });
        var withSpecials = host.Sim.State.ItemsOfType(2, ItemType.Show).First(s => s.Children!.Exists(c => c.Index == 0));
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), $"/library/metadata/{withSpecials.RatingKey}/children");
        var first = SimHost.Metadata(mc).First();
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.Equal("season", first.GetProperty("type").GetString());
        Assert.True(first.GetProperty("leafCount").GetInt32() > 0);
    }

    [Fact]
    public async Task AllLeaves_OfShow_ReturnsEveryEpisode()
    {
        await using var host = await SimHost.StartAsync();
        var show = host.Sim.State.ItemsOfType(2, ItemType.Show)[0];
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), $"/library/metadata/{show.RatingKey}/allLeaves");
        Assert.Equal(show.Leaves().Count(), SimHost.Metadata(mc).Count());
        Assert.All(SimHost.Metadata(mc), e => Assert.Equal("episode", e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task SectionAllLeaves_ListsAllEpisodes()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/2/allLeaves?X-Plex-Container-Size=0");
        Assert.Equal(host.Sim.State.ItemsOfType(2, ItemType.Episode).Count, mc.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Metadata_CommaSeparatedIds_ReturnsEach()
    {
        await using var host = await SimHost.StartAsync();
        var movies = host.Sim.State.ItemsOfType(1, ItemType.Movie);
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), $"/library/metadata/{movies[0].RatingKey},{movies[1].RatingKey}");
        Assert.Equal(2, SimHost.Metadata(mc).Count());
    }

    [Fact]
    public async Task Metadata_UnknownKey_Returns404()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).GetAsync(new Uri("/library/metadata/999999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SectionAll_UnknownSection_Returns404()
    {
        await using var host = await SimHost.StartAsync();
        using var response = await host.Pms(host.Owner.AccountToken).GetAsync(new Uri("/library/sections/77/all", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task UsersTop_AfterPlays_ListsLocalAccountIds()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        host.Control.Mark("owner", movie, true);
        host.Control.Mark(host.Friend.Name, movie, true);
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), $"/library/metadata/{movie}/users/top");
        var ids = mc.GetProperty("Account").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(1L, ids);
        Assert.Contains(host.Friend.LocalId, ids);
        Assert.All(mc.GetProperty("Account").EnumerateArray(), a => Assert.True(a.GetProperty("globalViewCount").GetInt32() > 0));
    }

    [Fact]
    public async Task SectionLabels_ListsTagIdsUsableAsFilter()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        var owner = host.Pms(host.Owner.AccountToken);
        (await owner.PutAsync(new Uri($"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=sync%3Aowner", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var labels = await SimHost.ContainerAsync(owner, "/library/sections/1/label");
        var entry = labels.GetProperty("Directory").EnumerateArray().Single(d => d.GetProperty("title").GetString() == "sync:owner");
        var filtered = await SimHost.ContainerAsync(owner, $"/library/sections/1/all?label={entry.GetProperty("key").GetString()}");
        Assert.Equal(movie.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(SimHost.Metadata(filtered)).GetProperty("ratingKey").GetString());
    }
}
