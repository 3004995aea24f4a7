using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Providers.Jellyfin;

namespace Marquee.Providers.Tests.Jellyfin;

/// <summary>Every capability against the simulator, for Jellyfin and Emby, with an API key and with a user name and password.</summary>
public sealed class JellyfinProviderTests
{
    public static TheoryData<string, JellyfinAuthMode> Servers => new()
    {
        { "jellyfin", JellyfinAuthMode.ApiKey },
        { "jellyfin", JellyfinAuthMode.Password },
        { "emby", JellyfinAuthMode.ApiKey },
        { "emby", JellyfinAuthMode.Password },
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task TestAsync_GoodCredentials_NoProblems_BadCredentials_PointAtTheField(string kind, JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);
        var bad = mode == JellyfinAuthMode.ApiKey
            ? server.Settings(mode) with { ApiKey = "wrong" }
            : server.Settings(mode) with { Password = "wrong" };

        var good = await server.Provider(mode).TestAsync(CancellationToken.None);
        var problems = await server.Provider(bad).TestAsync(CancellationToken.None);

        Assert.Empty(good);
        var problem = Assert.Single(problems);
        Assert.Equal(mode == JellyfinAuthMode.ApiKey ? "apiKey" : "password", problem.Field);
        Assert.Contains("media", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task ListAccounts_AdministratorSeesEveryUser(string kind, JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);

        var accounts = await server.Provider(mode).ListAccountsAsync(CancellationToken.None);

        Assert.Equal(server.Sim.Users.Select(u => u.Id), accounts.Select(a => a.ExternalId));
        Assert.Equal("owner", accounts[0].Kind);
        Assert.All(accounts.Skip(1), a => Assert.Equal("user", a.Kind));
        Assert.All(accounts, a => Assert.True(a.CanAct));
    }

    [Fact]
    public async Task ListAccounts_NonAdministrator_SeesOnlyItself()
    {
        await using var server = await JellyfinTestServer.StartAsync();

        var accounts = await server.Provider(JellyfinAuthMode.Password, "ada").ListAccountsAsync(CancellationToken.None);

        Assert.Equal("ada", Assert.Single(accounts).Name);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Read_ListsEveryMovieAndEpisode_WithCanonicalIds_InPages(string kind, JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);
        var provider = server.Provider(mode);
        var account = server.Account("admin");

        var items = await provider.ReadAsync(account, WatchStateQuery.Full, CancellationToken.None).ToListAsync();

        var sim = server.Sim.State.Items();
        var expected = sim.Count(i => i.Type == "Movie") + sim.Where(i => i.Type == "Episode").Sum(i => (i.IndexNumberEnd ?? i.IndexNumber ?? 0) - (i.IndexNumber ?? 0) + 1);
        Assert.Equal(expected, items.Count);
        Assert.Equal(items.Count, items.Select(i => i.Item.LocalKey).Distinct(StringComparer.Ordinal).Count());
        var movie = sim.First(i => i.Type == "Movie");
        var read = items.Single(i => i.Item.LocalKey == movie.Id).Item;
        Assert.Equal(MediaKind.Movie, read.Kind);
        Assert.Contains(new ExternalId(ExternalId.Imdb, movie.ProviderIds["Imdb"]), read.Ids);
        Assert.Contains(new ExternalId(ExternalId.Tmdb, movie.ProviderIds["Tmdb"]), read.Ids);
        Assert.Equal(movie.RunTimeTicks / TimeSpan.TicksPerMillisecond, read.DurationMs);
        Assert.True(server.Requests.Snapshot()[kind == "emby" ? "GET /Users/{userId}/Items" : "GET /Items"] > 2);
    }

    /// <summary>
    /// A listing asks for its next two pages before the page it has is handed on (the shows are read first, whole): at
    /// the first item, every page of the shows and the first three of the items (seven a page here) have been asked for.
    /// </summary>
    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Read_AsksForTheNextTwoPages_BeforeThisPageIsHandedOn(string kind, JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);
        var sim = server.Sim.State.Items();
        var showPages = (sim.Count(i => i.Type == "Series") + 6) / 7;
        var itemPages = (sim.Count(i => i.Type is "Movie" or "Episode") + 6) / 7;
        Assert.True(itemPages > 3, $"{itemPages} pages of items");
        var route = kind == "emby" ? "GET /Users/{userId}/Items" : "GET /Items";
        await using var items = server.Provider(mode).ReadAsync(server.Account("admin"), WatchStateQuery.Full, CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await items.MoveNextAsync());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Requests.Snapshot().GetValueOrDefault(route) < showPages + 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(100);
        Assert.Equal(showPages + 3, server.Requests.Snapshot()[route]);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Read_WithALibraryFilter_ReadsOnlyThoseLibraries_ByNameOrViewId(string kind, JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);
        var provider = server.Provider(mode);
        var account = server.Account("admin");
        var sim = server.Sim.State.Items();
        var anime = server.Sim.State.Views.Single(v => v.Name == "Anime");
        server.Control.Mark("admin", sim.First(i => i.Type == "Movie").Id, true);
        server.Control.Mark("admin", sim.First(i => i.Type == "Episode" && i.Library == "Shows").Id, true);
        server.Control.Mark("admin", sim.First(i => i.Type == "Episode" && i.Library == "Anime").Id, true);

        var libraries = await provider.ListLibrariesAsync(account, CancellationToken.None);
        var movies = await provider.ReadAsync(account, new WatchStateQuery { Libraries = ["movies"] }, CancellationToken.None).ToListAsync();
        var byId = await provider.ReadAsync(account, new WatchStateQuery { Libraries = [anime.Id, "No Such Library"] }, CancellationToken.None).ToListAsync();
        var changed = await provider.ReadAsync(account, new WatchStateQuery { Libraries = ["Shows"], ChangedSince = JellyfinTestServer.Start.AddDays(-1) }, CancellationToken.None).ToListAsync();

        Assert.Equal(["Anime:show", "Movies:movie", "Shows:show"], libraries.Select(l => $"{l.Title}:{l.Type}").Order(StringComparer.Ordinal));
        Assert.Equal(sim.Count(i => i.Type == "Movie"), movies.Count);
        Assert.All(movies, m => Assert.Equal(MediaKind.Movie, m.Item.Kind));
        var animeKeys = sim.Where(i => i.Library == "Anime" && i.Type == "Episode").Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(byId);
        Assert.All(byId, e => Assert.Contains(e.Item.PartKey ?? e.Item.LocalKey, animeKeys));
        Assert.All(byId, e => Assert.Contains(e.Item.ShowIds, id => id.Scheme == ExternalId.AniDb));
        var watched = Assert.Single(changed, c => c.State.Watched);
        Assert.Equal("Shows", sim.Single(i => i.Id == (watched.Item.PartKey ?? watched.Item.LocalKey)).Library);
    }

    [Theory]
    [InlineData("jellyfin")]
    [InlineData("emby")]
    public async Task Read_EpisodesCarrySeriesIdsSeasonAndNumber_EvenWithoutIdsOfTheirOwn(string kind)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);

        var items = await server.Provider(JellyfinAuthMode.ApiKey).ReadAsync(server.Account("admin"), WatchStateQuery.Full, CancellationToken.None).ToListAsync();

        var episodes = items.Where(i => i.Item.Kind == MediaKind.Episode).Select(i => i.Item).ToList();
        Assert.NotEmpty(episodes);
        Assert.All(episodes, e =>
        {
            Assert.Contains(e.ShowIds, id => id.Scheme == ExternalId.Tvdb);
            Assert.NotNull(e.Season);
            Assert.NotNull(e.Episode);
            Assert.NotNull(e.ShowTitle);
        });
        Assert.Contains(episodes, e => e.Ids.Count == 0);
        Assert.Contains(episodes, e => e.Ids.Any(id => id.Scheme == ExternalId.Imdb));
        Assert.Contains(episodes, e => e.ShowIds.Any(id => id.Scheme == ExternalId.AniDb));
        Assert.Contains(episodes, e => e.ShowIds.Any(id => id.Scheme == ExternalId.TvMaze));
    }

    [Theory]
    [InlineData("jellyfin")]
    [InlineData("emby")]
    public async Task MultiEpisodeItem_IsExpandedIntoEpisodesSharingAPartKey_AndWrittenBackToTheOneItem(string kind)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind, new() { Movies = 1, Shows = 40, ClockStart = JellyfinTestServer.Start });
        var provider = server.Provider(JellyfinAuthMode.ApiKey);
        var account = server.Account("admin");
        var multi = server.Sim.State.Items().First(i => i.IndexNumberEnd is not null);

        var items = await provider.ReadAsync(account, WatchStateQuery.Full, CancellationToken.None).ToListAsync();
        var parts = items.Where(i => i.Item.PartKey == multi.Id).Select(i => i.Item).OrderBy(i => i.Episode).ToList();
        await provider.MarkWatchedAsync(account, parts[1].LocalKey, new DateTimeOffset(2022, 3, 4, 5, 6, 7, TimeSpan.Zero), CancellationToken.None);
        var after = await provider.ReadItemAsync(account, parts[1].LocalKey, CancellationToken.None);

        Assert.Equal([multi.IndexNumber!.Value, multi.IndexNumberEnd!.Value], parts.Select(p => p.Episode!.Value));
        Assert.All(parts, p => Assert.Equal(multi.ParentIndexNumber, p.Season));
        await provider.MarkWatchedAsync(account, parts[0].LocalKey, null, CancellationToken.None);
        Assert.True(server.Control.Data("admin", multi.Id).Played);
        Assert.Equal(1, server.Control.Data("admin", multi.Id).PlayCount);
        Assert.Equal(parts[1].Episode, after!.Item.Episode);
        Assert.True(after.State.Watched);
    }

    [Fact]
    public async Task MultiEpisodeItem_RatingIsTheFirstEpisodes_PositionIsTheEpisodeItFallsIn_AndWritesBackThere()
    {
        await using var server = await JellyfinTestServer.StartAsync("jellyfin", new() { Movies = 1, Shows = 40, ClockStart = JellyfinTestServer.Start });
        var provider = server.Provider(JellyfinAuthMode.ApiKey);
        var account = server.Account("admin");
        var multi = server.Sim.State.Items().First(i => i.IndexNumberEnd is not null);
        var parts = multi.IndexNumberEnd!.Value - multi.IndexNumber!.Value + 1;
        var share = multi.RunTimeTicks!.Value / TimeSpan.TicksPerMillisecond / parts;
        var position = share + 120_000;
        server.Sim.State.Update(server.Control.User("admin"), multi, d => d with { Rating = 8, PlaybackPositionTicks = position * TimeSpan.TicksPerMillisecond }, "UpdateUserData");

        var items = (await provider.ReadAsync(account, WatchStateQuery.Full, CancellationToken.None).ToListAsync())
            .Where(i => i.Item.PartKey == multi.Id).OrderBy(i => i.Item.Episode).ToList();
        await provider.SetProgressAsync(account, items[1].Item.LocalKey, 60_000, share, CancellationToken.None);

        Assert.Equal(parts, items.Count);
        Assert.Equal(8, items[0].State.Rating);
        Assert.All(items.Skip(1), i => Assert.Null(i.State.Rating));
        Assert.Equal(120_000, items[1].State.ProgressMs);
        Assert.All(items.Where((_, n) => n != 1), i => Assert.Null(i.State.ProgressMs));
        Assert.Equal((share + 60_000) * TimeSpan.TicksPerMillisecond, server.Control.Data("admin", multi.Id).PlaybackPositionTicks);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task MarkWatched_WithAWatchDate_ArrivesAsDatePlayed_NotNow(string kind, JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);
        var provider = server.Provider(mode);
        var account = server.Account("ada");
        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");
        var watchedAt = new DateTimeOffset(2019, 7, 14, 21, 30, 5, TimeSpan.Zero);

        await provider.MarkWatchedAsync(account, movie.Id, watchedAt, CancellationToken.None);
        var read = await provider.ReadItemAsync(account, movie.Id, CancellationToken.None);

        var data = server.Control.Data("ada", movie.Id);
        Assert.True(data.Played);
        Assert.Equal(watchedAt, data.LastPlayedDate);
        Assert.Equal(watchedAt, read!.State.LastWatchedAt);
        Assert.Equal(1, read.State.PlayCount);
        Assert.True((kind == "emby" ? JellyfinRegistration.EmbyCapabilities : JellyfinRegistration.JellyfinCapabilities).CanBackdateWatched);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task MarkUnwatched_ClearsPlayed(string kind, JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);
        var provider = server.Provider(mode);
        var account = server.Account("milo");
        var episode = server.Sim.State.Items().First(i => i.Type == "Episode");
        server.Control.Mark("milo", episode.Id, true);

        await provider.MarkUnwatchedAsync(account, episode.Id, CancellationToken.None);
        var read = await provider.ReadItemAsync(account, episode.Id, CancellationToken.None);

        Assert.False(server.Control.Data("milo", episode.Id).Played);
        Assert.False(read!.State.Watched);
    }

    [Theory]
    [InlineData(JellyfinAuthMode.ApiKey)]
    [InlineData(JellyfinAuthMode.Password)]
    public async Task Jellyfin_ProgressAndRating_AreWrittenAndReadBack(JellyfinAuthMode mode)
    {
        await using var server = await JellyfinTestServer.StartAsync();
        var provider = server.Provider(mode);
        var account = server.Account("admin");
        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");

        await provider.SetProgressAsync(account, movie.Id, 600_000, movie.RunTimeTicks!.Value / TimeSpan.TicksPerMillisecond, CancellationToken.None);
        await provider.SetRatingAsync(account, movie.Id, 8, null, CancellationToken.None);
        var read = await provider.ReadItemAsync(account, movie.Id, CancellationToken.None);

        Assert.Equal(600_000, read!.State.ProgressMs);
        Assert.Equal(8, read.State.Rating);
        Assert.False(read.State.Watched);
        var clear = await Assert.ThrowsAsync<ProviderException>(() => provider.SetRatingAsync(account, movie.Id, null, null, CancellationToken.None));
        Assert.Contains("cannot be cleared", clear.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emby_ProgressAndRating_AreNotOffered_AndFailClearly()
    {
        await using var server = await JellyfinTestServer.StartAsync("emby");
        var provider = server.Provider(JellyfinAuthMode.ApiKey);
        var account = server.Account("admin");
        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");

        var progress = await Assert.ThrowsAsync<ProviderException>(() => provider.SetProgressAsync(account, movie.Id, 1000, 2000, CancellationToken.None));

        Assert.False(JellyfinRegistration.EmbyCapabilities.CanWriteProgress);
        Assert.False(JellyfinRegistration.EmbyCapabilities.CanRate);
        Assert.Contains("Emby", progress.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests.Total);
    }

    [Theory]
    [InlineData("jellyfin")]
    [InlineData("emby")]
    public async Task Read_ChangedSince_ReturnsOnlyItemsWhoseUserDataChanged(string kind)
    {
        await using var server = await JellyfinTestServer.StartAsync(kind);
        var provider = server.Provider(JellyfinAuthMode.ApiKey);
        var account = server.Account("admin");
        var movies = server.Sim.State.Items().Where(i => i.Type == "Movie").ToList();
        server.Control.Mark("admin", movies[0].Id, true);
        server.Control.AdvanceClock(TimeSpan.FromDays(1));
        var since = server.Control.Now;
        server.Control.AdvanceClock(TimeSpan.FromMinutes(1));
        server.Control.Mark("admin", movies[1].Id, true);

        var changed = await provider.ReadAsync(account, new WatchStateQuery { ChangedSince = since }, CancellationToken.None).ToListAsync();

        Assert.Equal([movies[1].Id], changed.Select(c => c.Item.LocalKey));
    }

    [Fact]
    public async Task ReadItem_UnknownItem_IsNull()
    {
        await using var server = await JellyfinTestServer.StartAsync();

        var read = await server.Provider(JellyfinAuthMode.ApiKey).ReadItemAsync(server.Account("admin"), "0123456789abcdef0123456789abcdef", CancellationToken.None);

        Assert.Null(read);
    }

    [Fact]
    public async Task RevokedSession_LogsInAgainOnce()
    {
        await using var server = await JellyfinTestServer.StartAsync();
        var provider = server.Provider(JellyfinAuthMode.Password);
        var account = server.Account("admin");
        await provider.ListAccountsAsync(CancellationToken.None);
        server.Control.RevokeTokens();

        var movie = server.Sim.State.Items().First(i => i.Type == "Movie");
        await provider.MarkWatchedAsync(account, movie.Id, null, CancellationToken.None);

        Assert.Equal(2, server.Requests.Snapshot()["POST /Users/AuthenticateByName"]);
        Assert.Equal(1, server.Control.Data("admin", movie.Id).PlayCount);
    }

    [Theory]
    [InlineData("Imdb", "tt0133093", "imdb", "tt0133093")]
    [InlineData("imdb", "TT0133093", "imdb", "tt0133093")]
    [InlineData("Tmdb", "603", "tmdb", "603")]
    [InlineData("Tvdb", "81189", "tvdb", "81189")]
    [InlineData("AniDB", "17617", "anidb", "17617")]
    [InlineData("TvMaze", "169", "tvmaze", "169")]
    [InlineData("Tmdb", "", null, null)]
    [InlineData("Imdb", "0133093", null, null)]
    [InlineData("TvRage", "12", null, null)]
    public void IdsOf_MapsProviderIds(string key, string value, string? scheme, string? expected)
    {
        var ids = JellyfinProvider.IdsOf(new Dictionary<string, string?> { [key] = value });

        if (scheme is null)
        {
            Assert.Empty(ids);
        }
        else
        {
            Assert.Equal(new ExternalId(scheme, expected!), Assert.Single(ids));
        }
    }
}
