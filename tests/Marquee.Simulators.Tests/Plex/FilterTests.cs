using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>Media-query filter syntax of PLEX-API.md 4.3 on /library/sections/{id}/all.</summary>
public sealed class FilterTests
{
    private static async Task<List<int>> KeysAsync(HttpClient client, string path) =>
        [.. SimHost.Metadata(await SimHost.ContainerAsync(client, path)).Select(m => int.Parse(m.GetProperty("ratingKey").GetString()!, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task ViewCountGreaterThanZero_ReturnsOnlyWatched()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var watched = await KeysAsync(owner, "/library/sections/1/all?type=1&viewCount%3E%3E=0");
        var unwatched = await KeysAsync(owner, "/library/sections/1/all?type=1&unwatched=1");
        var all = host.Sim.State.ItemsOfType(1, ItemType.Movie);
        Assert.NotEmpty(watched);
        Assert.NotEmpty(unwatched);
        Assert.Equal(all.Count, watched.Count + unwatched.Count);
        Assert.All(watched, k => Assert.True(host.Sim.State.State(host.Owner, host.Sim.State.Item(k)!).ViewCount > 0));
    }

    [Fact]
    public async Task RawOperatorCharacters_AreAcceptedUnencoded()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var encoded = await KeysAsync(owner, "/library/sections/1/all?viewCount%3E%3E=0");
        var raw = await KeysAsync(owner, "/library/sections/1/all?viewCount>>=0");
        Assert.Equal(encoded, raw);
    }

    [Fact]
    public async Task LastViewedAtRelative_FindsRecentPlay()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        host.Control.Mark("owner", movie, true);
        var recent = await KeysAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?lastViewedAt%3E%3E=-1d");
        Assert.Equal([movie], recent);
    }

    [Fact]
    public async Task LastViewedAtAbsolute_AndLessThan()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var since = SimHost.Start.ToUnixTimeSeconds() - 1;
        host.Control.Mark("owner", host.FirstMovie(), true);
        var after = await KeysAsync(owner, $"/library/sections/1/all?lastViewedAt%3E%3E={since}");
        var before = await KeysAsync(owner, $"/library/sections/1/all?lastViewedAt%3C%3C={since}");
        Assert.Single(after);
        Assert.DoesNotContain(after[0], before);
    }

    [Fact]
    public async Task Label_ByTagId_AndNotEqual()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.FirstMovie();
        (await owner.PutAsync(new Uri($"/library/sections/1/all?type=1&id={movie}&label%5B0%5D.tag.tag=pick", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var id = host.Sim.State.LabelId("pick");
        Assert.Equal([movie], await KeysAsync(owner, $"/library/sections/1/all?label={id}"));
        Assert.DoesNotContain(movie, await KeysAsync(owner, $"/library/sections/1/all?label!={id}"));
    }

    [Fact]
    public async Task Guid_MatchesPrimaryGuidOnlyNotGuidArray()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => m.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal) && m.ExternalGuids.Length > 0);
        Assert.Contains(movie.RatingKey, await KeysAsync(owner, $"/library/sections/1/all?guid={Uri.EscapeDataString(movie.PrimaryGuid)}"));
        Assert.Empty(await KeysAsync(owner, $"/library/sections/1/all?guid={Uri.EscapeDataString(movie.ExternalGuids[0])}"));
    }

    [Fact]
    public async Task UpdatedAt_GreaterThan_ExcludesOlder()
    {
        await using var host = await SimHost.StartAsync();
        var all = host.Sim.State.ItemsOfType(1, ItemType.Movie);
        var median = all.Select(m => m.UpdatedAt).Order().ElementAt(all.Count / 2);
        var keys = await KeysAsync(host.Pms(host.Owner.AccountToken), $"/library/sections/1/all?updatedAt%3E%3E={median}");
        Assert.Equal(all.Count(m => m.UpdatedAt > median), keys.Count);
    }

    [Fact]
    public async Task CommaValues_AreOr_AndMultipleParamsAreAnd()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movies = host.Sim.State.ItemsOfType(1, ItemType.Movie);
        var years = $"{movies[0].Year},{movies[1].Year}";
        var byYear = await KeysAsync(owner, $"/library/sections/1/all?year={years}");
        Assert.Equal(movies.Count(m => m.Year == movies[0].Year || m.Year == movies[1].Year), byYear.Count);
        var both = await KeysAsync(owner, $"/library/sections/1/all?year={years}&unwatched=1");
        Assert.All(both, k => Assert.Contains(k, byYear));
    }

    [Fact]
    public async Task StringOperators_ContainsEqualsBeginsWith()
    {
        await using var host = await SimHost.StartAsync();
        var owner = host.Pms(host.Owner.AccountToken);
        var movie = host.Sim.State.ItemsOfType(1, ItemType.Movie)[0];
        var word = movie.Title.Split(' ')[^1];
        Assert.Contains(movie.RatingKey, await KeysAsync(owner, $"/library/sections/1/all?title={Uri.EscapeDataString(word)}"));
        Assert.Contains(movie.RatingKey, await KeysAsync(owner, $"/library/sections/1/all?title=={Uri.EscapeDataString(movie.Title)}"));
        Assert.Contains(movie.RatingKey, await KeysAsync(owner, $"/library/sections/1/all?title%3C={Uri.EscapeDataString(movie.Title[..3])}"));
        Assert.DoesNotContain(movie.RatingKey, await KeysAsync(owner, $"/library/sections/1/all?title!={Uri.EscapeDataString(word)}"));
    }

    [Fact]
    public async Task ShowScope_ListsEpisodesOfThatShow()
    {
        await using var host = await SimHost.StartAsync();
        var show = host.Sim.State.ItemsOfType(2, ItemType.Show)[0];
        var keys = await KeysAsync(host.Pms(host.Owner.AccountToken), $"/library/sections/2/all?type=4&show.title=={Uri.EscapeDataString(show.Title)}");
        Assert.Equal(show.Leaves().Select(l => l.RatingKey).Order(), keys.Order());
    }

    [Fact]
    public async Task Sort_LastViewedAtDesc_IsOrdered()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?sort=lastViewedAt:desc&viewCount%3E%3E=0");
        var times = SimHost.Metadata(mc).Select(m => SimHost.Long(m, "lastViewedAt")).ToList();
        Assert.NotEmpty(times);
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Fact]
    public async Task Sort_AddedAtAsc_IsOrdered()
    {
        await using var host = await SimHost.StartAsync();
        var mc = await SimHost.ContainerAsync(host.Pms(host.Owner.AccountToken), "/library/sections/2/all?type=4&sort=episode.addedAt");
        var times = SimHost.Metadata(mc).Select(m => SimHost.Long(m, "addedAt")).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task Filter_PerAccount_UsesTokenAccountState()
    {
        await using var host = await SimHost.StartAsync();
        var movie = host.FirstMovie();
        host.Control.Mark("owner", movie, false);
        host.Control.Mark(host.Friend.Name, movie, true);
        Assert.Contains(movie, await KeysAsync(host.Pms(host.Friend.ServerToken), "/library/sections/1/all?viewCount%3E%3E=0"));
        Assert.DoesNotContain(movie, await KeysAsync(host.Pms(host.Owner.AccountToken), "/library/sections/1/all?viewCount%3E%3E=0"));
    }
}
