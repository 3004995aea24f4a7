using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Trakt;

namespace Marquee.Simulators.Tests.Trakt;

public sealed class TraktSyncTests
{
    [Fact]
    public async Task HistoryAdd_KeepsTheMinute_NeverDeduplicates_AndEchoesNotFound()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var movie = host.Movie(0);
        var body = new JsonObject
        {
            ["movies"] = new JsonArray(
                new JsonObject { ["ids"] = new JsonObject { ["tmdb"] = movie.Tmdb }, ["watched_at"] = "2026-04-30T21:05:42.123Z" },
                new JsonObject { ["ids"] = new JsonObject { ["imdb"] = movie.Imdb }, ["watched_at"] = "2026-04-30T21:05:59Z" },
                new JsonObject { ["ids"] = new JsonObject { ["tmdb"] = 999_999_999 } }),
        }.ToJsonString();

        using var response = await client.PostAsync("sync/history", TraktSimHost.Json(body));
        var result = await TraktSimHost.ReadAsync(response);
        using var history = await client.GetAsync("sync/history/movies");
        var rows = (await TraktSimHost.ReadAsync(history)).AsArray();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, result["added"]!["movies"]!.GetValue<int>());
        Assert.Equal(999_999_999, result["not_found"]!["movies"]![0]!["ids"]!["tmdb"]!.GetValue<long>());
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("2026-04-30T21:05:00.000Z", r!["watched_at"]!.GetValue<string>()));
        Assert.Equal(movie.Trakt, rows[0]!["movie"]!["ids"]!["trakt"]!.GetValue<long>());
        Assert.Equal("1", history.Headers.GetValues("X-Pagination-Page-Count").Single());
        Assert.Equal("2", history.Headers.GetValues("X-Pagination-Item-Count").Single());
    }

    [Fact]
    public async Task HistoryAdd_ShowWithEpisodes_AddsThoseOnly_AndABareShowAddsEveryEpisode()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var show = host.Show(0);
        var season = show.Children.First(s => s.Number == 1);
        var nested = new JsonObject
        {
            ["shows"] = new JsonArray(new JsonObject
            {
                ["ids"] = new JsonObject { ["tvdb"] = show.Tvdb },
                ["seasons"] = new JsonArray(new JsonObject
                {
                    ["number"] = 1,
                    ["episodes"] = new JsonArray(new JsonObject { ["number"] = 1, ["watched_at"] = "2026-03-02T18:37:00Z" }, new JsonObject { ["number"] = 2 }),
                }),
            }),
        }.ToJsonString();

        var first = await TraktSimHost.ReadAsync(await client.PostAsync("sync/history", TraktSimHost.Json(nested)));
        var bare = await TraktSimHost.ReadAsync(await client.PostAsync("sync/history", TraktSimHost.Json(new { shows = new[] { new { ids = new { trakt = show.Trakt } } } })));
        var episodeRows = (await TraktSimHost.ReadAsync(await client.GetAsync("sync/history/episodes?limit=250"))).AsArray();

        Assert.Equal(2, first["added"]!["episodes"]!.GetValue<int>());
        Assert.Equal(show.Episodes.Count(), bare["added"]!["episodes"]!.GetValue<int>());
        Assert.Equal(show.Episodes.Count() + 2, episodeRows.Count);
        var dated = episodeRows.Single(r => r!["watched_at"]!.GetValue<string>() == "2026-03-02T18:37:00.000Z")!;
        Assert.Equal(season.Children[0].Trakt, dated["episode"]!["ids"]!["trakt"]!.GetValue<long>());
        Assert.Equal(show.Trakt, dated["show"]!["ids"]!["trakt"]!.GetValue<long>());
    }

    [Fact]
    public async Task HistoryRemove_ByItemAndByHistoryId()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var keep = host.Control.Play("anna", host.Movie(1), TraktSimHost.Start);
        var single = host.Control.Play("anna", host.Movie(1), TraktSimHost.Start.AddDays(-1));
        host.Control.Play("anna", host.Movie(2), TraktSimHost.Start);
        host.Control.Play("anna", host.Movie(2), TraktSimHost.Start.AddDays(-2));

        using var response = await client.PostAsync("sync/history/remove", TraktSimHost.Json(new JsonObject
        {
            ["movies"] = new JsonArray(new JsonObject { ["ids"] = new JsonObject { ["trakt"] = host.Movie(2).Trakt } }),
            ["ids"] = new JsonArray(single, 42),
        }.ToJsonString()));
        var result = await TraktSimHost.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, result["deleted"]!["movies"]!.GetValue<int>());
        Assert.Equal(42, result["not_found"]!["ids"]![0]!.GetValue<long>());
        Assert.Equal([keep], host.Control.Dump("anna").Plays.Select(p => p.Id));
    }

    [Fact]
    public async Task History_PagesWithAllFourHeaders_AndClampsTheLimitTo250()
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { Movies = 300 });
        using var client = host.Client();
        foreach (var (movie, i) in host.Sim.State.Catalog.Movies.Take(260).Select((m, i) => (m, i)))
        {
            host.Control.Play("anna", movie, TraktSimHost.Start.AddMinutes(-i));
        }

        using var page = await client.GetAsync("sync/history?page=2&limit=1000");
        var rows = (await TraktSimHost.ReadAsync(page)).AsArray();

        Assert.Equal("2", page.Headers.GetValues("X-Pagination-Page").Single());
        Assert.Equal("250", page.Headers.GetValues("X-Pagination-Limit").Single());
        Assert.Equal("2", page.Headers.GetValues("X-Pagination-Page-Count").Single());
        Assert.Equal("260", page.Headers.GetValues("X-Pagination-Item-Count").Single());
        Assert.Equal(10, rows.Count);
    }

    [Fact]
    public async Task Watched_Is3000ItemsInPages_AndShowsHaveSeasonsOnlyWithExtendedProgress()
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { Movies = 3100 });
        using var client = host.Client();
        foreach (var movie in host.Sim.State.Catalog.Movies.Take(3000))
        {
            host.Control.Play("anna", movie, TraktSimHost.Start);
        }

        host.Control.Play("anna", host.Show(0).Episodes.First(), TraktSimHost.Start);
        var seen = new HashSet<long>();
        var pages = 0;
        for (var page = 1; ; page++)
        {
            using var response = await client.GetAsync($"sync/watched/movies?page={page}&limit=250");
            foreach (var row in (await TraktSimHost.ReadAsync(response)).AsArray())
            {
                seen.Add(row!["movie"]!["ids"]!["trakt"]!.GetValue<long>());
            }

            pages++;
            if (page >= int.Parse(response.Headers.GetValues("X-Pagination-Page-Count").Single(), CultureInfo.InvariantCulture))
            {
                break;
            }
        }

        var plain = (await TraktSimHost.ReadAsync(await client.GetAsync("sync/watched/shows?extended=full"))).AsArray();
        using var progressResponse = await client.GetAsync("sync/watched/shows?extended=progress&limit=250");
        var progress = (await TraktSimHost.ReadAsync(progressResponse)).AsArray();

        Assert.Equal(3000, seen.Count);
        Assert.Equal(12, pages);
        Assert.Null(plain[0]!["seasons"]);
        Assert.Equal(1, progress[0]!["seasons"]![0]!["episodes"]![0]!["plays"]!.GetValue<int>());
        Assert.Equal("100", progressResponse.Headers.GetValues("X-Pagination-Limit").Single());
    }

    [Fact]
    public async Task Ratings_KeepRatedAt_RejectOutOfRange_AndRemove()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var movie = host.Movie(3);
        var show = host.Show(1);

        using var add = await client.PostAsync("sync/ratings", TraktSimHost.Json(new JsonObject
        {
            ["movies"] = new JsonArray(new JsonObject { ["ids"] = new JsonObject { ["tmdb"] = movie.Tmdb }, ["rating"] = 8, ["rated_at"] = "2026-01-02T03:04:05.000Z" }),
            ["shows"] = new JsonArray(new JsonObject { ["ids"] = new JsonObject { ["tvdb"] = show.Tvdb }, ["rating"] = 6 }),
        }.ToJsonString()));
        var added = await TraktSimHost.ReadAsync(add);
        using var bad = await client.PostAsync("sync/ratings", TraktSimHost.Json(new { movies = new[] { new { ids = new { trakt = movie.Trakt }, rating = 11 } } }));
        var listed = (await TraktSimHost.ReadAsync(await client.GetAsync("sync/ratings/movies"))).AsArray();
        using var remove = await client.PostAsync("sync/ratings/remove", TraktSimHost.Json(new { shows = new[] { new { ids = new { trakt = show.Trakt } } } }));

        Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        Assert.Equal(1, added["added"]!["movies"]!.GetValue<int>());
        Assert.Equal(1, added["added"]!["shows"]!.GetValue<int>());
        Assert.Equal(422, (int)bad.StatusCode);
        Assert.Equal("2026-01-02T03:04:05.000Z", listed.Single()!["rated_at"]!.GetValue<string>());
        Assert.Equal(8, listed.Single()!["rating"]!.GetValue<int>());
        Assert.Equal(1, (await TraktSimHost.ReadAsync(remove))["deleted"]!["shows"]!.GetValue<int>());
        Assert.Single(host.Control.Dump("anna").Ratings);
    }

    [Fact]
    public async Task Watchlist_CountsExisting_PagesAndLeavesWhenWatched()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var movie = host.Movie(4);
        var show = host.Show(2);
        object body = new { movies = new[] { new { ids = new { trakt = movie.Trakt } } }, shows = new[] { new { ids = new { trakt = show.Trakt } } } };

        var first = await TraktSimHost.ReadAsync(await client.PostAsync("sync/watchlist", TraktSimHost.Json(body)));
        var second = await TraktSimHost.ReadAsync(await client.PostAsync("sync/watchlist", TraktSimHost.Json(body)));
        using var list = await client.GetAsync("sync/watchlist?page=1&limit=1");
        var rows = (await TraktSimHost.ReadAsync(list)).AsArray();
        await client.PostAsync("sync/history", TraktSimHost.Json(new { episodes = new[] { new { ids = new { trakt = show.Episodes.First().Trakt } } } }));
        var after = host.Control.Dump("anna").Watchlist;

        Assert.Equal(1, first["added"]!["shows"]!.GetValue<int>());
        Assert.Equal(1, second["existing"]!["movies"]!.GetValue<int>());
        Assert.Equal(2, second["list"]!["item_count"]!.GetValue<int>());
        Assert.Equal("2", list.Headers.GetValues("X-Pagination-Page-Count").Single());
        Assert.Equal(1, rows[0]!["rank"]!.GetValue<int>());
        Assert.Equal("movie", Assert.Single(after).Type);
    }

    [Fact]
    public async Task Watchlist_OverTheAccountLimit_Is420WithItsHeaders()
    {
        await using var host = await TraktSimHost.StartAsync(o => o with { WatchlistLimit = 1 });
        using var client = host.Client();

        using var response = await client.PostAsync("sync/watchlist", TraktSimHost.Json(new { movies = new[] { new { ids = new { trakt = host.Movie(0).Trakt } }, new { ids = new { trakt = host.Movie(1).Trakt } } } }));

        Assert.Equal(420, (int)response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("X-Account-Limit").Single());
        Assert.Equal("false", response.Headers.GetValues("X-VIP-User").Single());
        Assert.Empty(host.Control.Dump("anna").Watchlist);
    }

    [Fact]
    public async Task Playback_PauseStores_StopAt80MakesAPlay_DeleteIs204Then404_OldProgressDropped()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var movie = host.Movie(5);
        var episode = host.Show(0).Episodes.First();

        using var pause = await client.PostAsync("scrobble/pause", TraktSimHost.Json(new { movie = new { ids = new { trakt = movie.Trakt } }, progress = 42.5 }));
        var id = (await TraktSimHost.ReadAsync(pause))["id"]!.GetValue<long>();
        var listed = (await TraktSimHost.ReadAsync(await client.GetAsync("sync/playback"))).AsArray();
        using var stop = await client.PostAsync("scrobble/stop", TraktSimHost.Json(new { episode = new { ids = new { tvdb = episode.Tvdb } }, progress = 95 }));
        using var delete = await client.DeleteAsync($"sync/playback/{id}");
        using var deleteAgain = await client.DeleteAsync($"sync/playback/{id}");
        host.Control.Pause("anna", movie, 10);
        host.Control.AdvanceClock(TimeSpan.FromDays(200));
        using var later = host.Client();
        var expired = (await TraktSimHost.ReadAsync(await later.GetAsync("sync/playback"))).AsArray();

        Assert.Equal(HttpStatusCode.Created, pause.StatusCode);
        Assert.Equal(42.5, listed.Single()!["progress"]!.GetValue<double>());
        Assert.Equal("2026-05-01T20:00:00.000Z", listed.Single()!["paused_at"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, stop.StatusCode);
        Assert.Equal("scrobble", Assert.Single(host.Control.Dump("anna").Plays).Action);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleteAgain.StatusCode);
        Assert.Empty(expired);
    }

    [Fact]
    public async Task Search_ById_FiltersByType_AndAnswersEmptyWhenNothingMatches()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client(null);
        var movie = host.Movie(0);

        var found = (await TraktSimHost.ReadAsync(await client.GetAsync($"search/tmdb/{movie.Tmdb}?type=movie"))).AsArray();
        var none = (await TraktSimHost.ReadAsync(await client.GetAsync("search/imdb/tt0000001?type=movie"))).AsArray();
        using var badType = await client.GetAsync("search/anidb/1");

        Assert.Equal("movie", found.Single()!["type"]!.GetValue<string>());
        Assert.Null(found.Single()!["score"]);
        Assert.Equal(movie.Trakt, found.Single()!["movie"]!["ids"]!["trakt"]!.GetValue<long>());
        Assert.Empty(none);
        Assert.Equal(HttpStatusCode.NotFound, badType.StatusCode);
    }

    [Fact]
    public async Task LastActivities_MoveWithEveryChange()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();
        var before = await TraktSimHost.ReadAsync(await client.GetAsync("sync/last_activities"));
        host.Control.AdvanceClock(TimeSpan.FromMinutes(5));

        await client.PostAsync("sync/history", TraktSimHost.Json(new { movies = new[] { new { ids = new { trakt = host.Movie(0).Trakt } } } }));
        var after = await TraktSimHost.ReadAsync(await client.GetAsync("sync/last_activities"));

        Assert.Equal("2026-05-01T20:00:00.000Z", before["movies"]!["watched_at"]!.GetValue<string>());
        Assert.Equal("2026-05-01T20:05:00.000Z", after["movies"]!["watched_at"]!.GetValue<string>());
        Assert.Equal("2026-05-01T20:00:00.000Z", after["episodes"]!["watched_at"]!.GetValue<string>());
        Assert.Equal("2026-05-01T20:05:00.000Z", after["all"]!.GetValue<string>());
    }

    [Fact]
    public async Task Catalogue_HasThePlexSimulatorsIds_ForTheSameSeed()
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Movies = 40, Shows = 6, LegacyShare = 0 }, CancellationToken.None);
        await using var host = await TraktSimHost.StartAsync();
        var plexMovie = plex.State.ItemsOfType(1, Marquee.Simulators.Plex.Model.ItemType.Movie).First(m => m.ExternalGuids.Length > 0);
        var imdb = plexMovie.ExternalGuids.First(g => g.StartsWith("imdb://", StringComparison.Ordinal))["imdb://".Length..];

        var media = host.Sim.State.Catalog.ById(TraktKind.Movie, "imdb", imdb);

        Assert.NotNull(media);
        Assert.Equal(plexMovie.Title, media.Title);
        Assert.Equal(plexMovie.Year, media.Year);
    }

    [Fact]
    public async Task ShowShape_GivesAboutFiftyEpisodesAShow_AndTheCatalogueTheSameEpisodes()
    {
        var shape = new PlexSimulatorOptions { Seed = 23, Movies = 10, Shows = 200, Seasons = 9, EpisodesPerSeason = 14, LegacyShare = 0, UnmatchedShare = 0, AnimeShows = false, HomeUsers = 0, Friends = 0 };
        await using var plex = await PlexSimulator.StartAsync(shape, CancellationToken.None);
        await using var usual = await PlexSimulator.StartAsync(shape with { Seasons = 5, EpisodesPerSeason = 12 }, CancellationToken.None);
        var catalog = new TraktCatalog(23, 10, 200, 9, 14);
        var episodes = plex.State.ItemsOfType(2, Marquee.Simulators.Plex.Model.ItemType.Episode);

        // Every show in the TV library, matched by the Plex agent; 1 to 9 seasons of 6 to 14 episodes is about 50 a show.
        Assert.Empty(plex.State.ItemsOfType(4, Marquee.Simulators.Plex.Model.ItemType.Show));
        Assert.All(plex.State.ItemsOfType(2, Marquee.Simulators.Plex.Model.ItemType.Show), s => Assert.StartsWith("plex://", s.PrimaryGuid, StringComparison.Ordinal));
        Assert.InRange(episodes.Count, 200 * 45, 200 * 56);
        Assert.InRange(usual.State.ItemsOfType(2, Marquee.Simulators.Plex.Model.ItemType.Episode).Count, 200 * 22, 200 * 32);
        Assert.Equal(episodes.Count, catalog.Shows.Sum(s => s.Episodes.Count()));
        var last = episodes[^1];
        var show = catalog.ById(TraktKind.Show, "tvdb", last.Parent!.Parent!.ExternalGuids.First(g => g.StartsWith("tvdb://", StringComparison.Ordinal))["tvdb://".Length..]);
        Assert.Contains(show!.Episodes, e => e.SeasonNumber == last.Parent.Index && e.Number == last.Index && e.Title == last.Title);
    }

    [Fact]
    public async Task MalformedBodies_Are400Or422()
    {
        await using var host = await TraktSimHost.StartAsync();
        using var client = host.Client();

        using var notJson = await client.PostAsync("sync/history", TraktSimHost.Json("{oops"));
        using var notArray = await client.PostAsync("sync/history", TraktSimHost.Json(new { movies = 5 }));
        using var badDate = await client.PostAsync("sync/history", TraktSimHost.Json(new { movies = new[] { new { ids = new { trakt = host.Movie(0).Trakt }, watched_at = "yesterday" } } }));
        using var badQuery = await client.GetAsync("sync/history?start_at=soon");

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(422, (int)notArray.StatusCode);
        Assert.Equal(422, (int)badDate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
        Assert.Empty(host.Control.Dump("anna").Plays);
    }
}
