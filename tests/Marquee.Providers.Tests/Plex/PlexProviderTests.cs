using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Providers.Tests.Plex;

/// <summary>Reads and writes of every capability against the simulator, for every account type.</summary>
public sealed class PlexProviderTests : IAsyncLifetime
{
    private PlexTestServer _server = null!;

    public static TheoryData<string> ActingAccounts => new() { "owner", "kid", "bob" };

    public async Task InitializeAsync() => _server = await PlexTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(ActingAccounts))]
    public async Task ReadAsync_EveryAccount_ListsEveryVisibleMovieAndEpisodeWithTheAccountsState(string name)
    {
        var counts = new RequestCounts();
        var provider = _server.Provider(counts);
        var sim = _server.Control.Account(name);
        var state = _server.Sim.State;

        var items = await ToListAsync(provider.ReadAsync(_server.Account(sim), WatchStateQuery.Full, CancellationToken.None));

        var expected = state.Sections.Where(s => state.CanSee(sim, s.Id))
            .SelectMany(s => state.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Episode))
            .ToList();
        Assert.Equal(expected.Count, items.Count);
        Assert.Equal(expected.Select(e => e.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), items.Select(i => i.Item.LocalKey).Order());
        foreach (var item in items)
        {
            var simState = state.State(sim, state.Item(item.Item.LocalKey)!);
            Assert.Equal(simState.ViewCount, item.State.PlayCount);
            Assert.Equal(simState.UserRating, item.State.Rating);
            Assert.Equal(simState.ViewOffset > 0 ? simState.ViewOffset : null, item.State.ProgressMs);
        }

        Assert.Contains(items, i => i.State.Watched);
        Assert.DoesNotContain(counts.Snapshot().Keys, k => k.StartsWith("GET /library/metadata", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_Episodes_CarryTheirShowsIdsSeasonAndEpisode()
    {
        var items = await ToListAsync(_server.Provider().ReadAsync(_server.Account("owner"), WatchStateQuery.Full, CancellationToken.None));
        var episodes = items.Where(i => i.Item.Kind == MediaKind.Episode).ToList();

        Assert.NotEmpty(episodes);
        Assert.All(episodes, e =>
        {
            Assert.NotNull(e.Item.ShowLocalKey);
            Assert.NotNull(e.Item.Season);
            Assert.NotNull(e.Item.Episode);
        });

        // Every episode whose show is matched (not local://) carries the show's ids, taken from one show listing per section.
        var matched = episodes.Where(e => !_server.Sim.State.Item(e.Item.ShowLocalKey!)!.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal)).ToList();
        Assert.All(matched, e => Assert.NotEmpty(e.Item.ShowIds));

        // Legacy TheTVDB/HAMA episodes have no ids of their own: show ids + season + episode identify them.
        var legacy = episodes.Where(e => e.Item.RawId!.StartsWith("com.plexapp.agents.", StringComparison.Ordinal) && e.Item.RawId.Contains('/', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(legacy);
        Assert.All(legacy, e => Assert.Contains(e.Item.ShowIds, id => id.Scheme is ExternalId.Tvdb or ExternalId.Tmdb or ExternalId.AniDb));
    }

    [Fact]
    public async Task ReadAsync_MultiEpisodeFilesAndEditions_AreRecognised()
    {
        var items = await ToListAsync(_server.Provider().ReadAsync(_server.Account("owner"), WatchStateQuery.Full, CancellationToken.None));
        var state = _server.Sim.State;

        var shared = items.Where(i => i.Item.Kind == MediaKind.Episode).GroupBy(i => i.Item.PartKey).Where(g => g.Key is not null && g.Count() > 1).ToList();
        var simShared = state.Sections.Where(s => s.Type == "show").SelectMany(s => state.ItemsOfType(s.Id, ItemType.Episode)).GroupBy(e => e.PartId).Count(g => g.Count() > 1);
        Assert.True(simShared > 0, "the simulator made no two-episode file");
        Assert.Equal(simShared, shared.Count);
        Assert.All(shared, g => Assert.Equal(g.Count(), g.Select(e => e.Item.Episode).Distinct().Count()));

        var editions = items.Where(i => i.Item.Edition is not null).ToList();
        Assert.NotEmpty(editions);
        Assert.All(editions, e => Assert.Equal(state.Item(e.Item.LocalKey)!.EditionTitle, e.Item.Edition));
    }

    [Fact]
    public async Task ReadAsync_ChangedSince_ReturnsOnlyWhatChanged()
    {
        var provider = _server.Provider();
        var owner = _server.Account("owner");
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => _server.Sim.State.State(_server.OwnerSim, m).ViewCount == 0);
        var episode = _server.Sim.State.ItemsOfType(2, ItemType.Episode).First(m => _server.Sim.State.State(_server.OwnerSim, m).UserRating is null);
        _server.Control.AdvanceClock(TimeSpan.FromDays(30));
        var since = _server.Control.Now;
        _server.Control.AdvanceClock(TimeSpan.FromMinutes(1));
        await provider.MarkWatchedAsync(owner, Key(movie), null, CancellationToken.None);
        await provider.SetRatingAsync(owner, Key(episode), 8, null, CancellationToken.None);

        var changed = await ToListAsync(provider.ReadAsync(owner, new WatchStateQuery { ChangedSince = since }, CancellationToken.None));

        // Editions and 4K copies share their guid's watch state, so they changed too.
        var expected = _server.Sim.State.Sections.SelectMany(s => _server.Sim.State.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Episode))
            .Where(i => i.PrimaryGuid == movie.PrimaryGuid || i.PrimaryGuid == episode.PrimaryGuid)
            .Select(Key)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, changed.Select(c => c.Item.LocalKey).Order(StringComparer.Ordinal));
        Assert.True(changed.Count < 10);
    }

    [Fact]
    public async Task ReadAsync_ChangedSince_ReadsOnlyTheChangedEpisodesShows()
    {
        var owner = _server.Account("owner");
        var state = _server.Sim.State;
        var episode = state.ItemsOfType(2, ItemType.Episode).First(e => e.Parent!.Parent!.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal) && state.State(_server.OwnerSim, e).UserRating is null);
        var full = await ToListAsync(_server.Provider().ReadAsync(owner, WatchStateQuery.Full, CancellationToken.None));
        _server.Control.AdvanceClock(TimeSpan.FromDays(30));
        var since = _server.Control.Now;
        _server.Control.AdvanceClock(TimeSpan.FromMinutes(1));
        await _server.Provider().SetRatingAsync(owner, Key(episode), 7, null, CancellationToken.None);
        var counts = new RequestCounts();

        var changed = await ToListAsync(_server.Provider(counts).ReadAsync(owner, new WatchStateQuery { ChangedSince = since }, CancellationToken.None));

        // The show's ids arrive as in a full read, from one request for the changed shows instead of every show page.
        var read = Assert.Single(changed, c => c.Item.LocalKey == Key(episode));
        var expected = full.Single(f => f.Item.LocalKey == Key(episode)).Item.ShowIds;
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(i => i.ToString()).Order(StringComparer.Ordinal), read.Item.ShowIds.Select(i => i.ToString()).Order(StringComparer.Ordinal));
        var sections = state.Sections.Count(s => s.Type is "movie" or "show" && state.CanSee(_server.OwnerSim, s.Id));
        Assert.Equal(sections, counts.Snapshot()["GET /library/sections/{id}/all"]);
        Assert.Equal(1, counts.Snapshot()["GET /library/metadata/{id}"]);
    }

    [Fact]
    public async Task ReadAsync_LibraryFilter_ReadsOnlyThatLibrary()
    {
        var items = await ToListAsync(_server.Provider().ReadAsync(_server.Account("owner"), new WatchStateQuery { Libraries = ["TV Shows"] }, CancellationToken.None));

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal("TV Shows", i.Item.Library));
    }

    [Fact]
    public async Task ReadItemAsync_Episode_HasShowIdsAndUnknownIsNull()
    {
        var provider = _server.Provider();
        var episode = _server.Sim.State.ItemsOfType(2, ItemType.Episode).First(e => e.Parent!.Parent!.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal));

        var read = await provider.ReadItemAsync(_server.Account("owner"), Key(episode), CancellationToken.None);
        var missing = await provider.ReadItemAsync(_server.Account("owner"), "99999999", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(MediaKind.Episode, read.Item.Kind);
        Assert.Contains(read.Item.ShowIds, i => i.Scheme == ExternalId.Plex && i.Value.StartsWith("show/", StringComparison.Ordinal));
        Assert.Equal(episode.Index, read.Item.Episode);
        Assert.Null(missing);
    }

    [Theory]
    [MemberData(nameof(ActingAccounts))]
    public async Task Writes_EveryAccount_ChangeOnlyThatAccountsState(string name)
    {
        var provider = _server.Provider();
        var sim = _server.Control.Account(name);
        var account = _server.Account(sim);
        var state = _server.Sim.State;
        var others = _server.Sim.Accounts.Where(a => a != sim).ToList();
        var movie = state.ItemsOfType(1, ItemType.Movie).First(m => _server.Sim.Accounts.All(a => state.State(a, m).IsEmpty));
        var before = others.Select(o => state.State(o, movie)).ToList();
        var ratedAt = _server.Control.Now.AddDays(-3);

        await provider.MarkWatchedAsync(account, Key(movie), null, CancellationToken.None);
        Assert.Equal(1, state.State(sim, movie).ViewCount);

        await provider.MarkUnwatchedAsync(account, Key(movie), CancellationToken.None);
        Assert.Equal(0, state.State(sim, movie).ViewCount);

        await provider.SetProgressAsync(account, Key(movie), 600_000, movie.Duration, CancellationToken.None);
        Assert.Equal(600_000, state.State(sim, movie).ViewOffset);

        await provider.SetRatingAsync(account, Key(movie), 7.5, ratedAt, CancellationToken.None);
        Assert.Equal(7.5, state.State(sim, movie).UserRating);
        Assert.Equal(ratedAt.ToUnixTimeSeconds(), state.State(sim, movie).LastRatedAt);

        var read = await provider.ReadItemAsync(account, Key(movie), CancellationToken.None);
        Assert.Equal(7.5, read!.State.Rating);
        Assert.Equal(ratedAt, read.State.RatedAt);
        Assert.Equal(600_000, read.State.ProgressMs);

        await provider.SetRatingAsync(account, Key(movie), null, null, CancellationToken.None);
        Assert.Null(state.State(sim, movie).UserRating);

        Assert.Equal(before, others.Select(o => state.State(o, movie)).ToList());
    }

    [Theory]
    [MemberData(nameof(ActingAccounts))]
    public async Task ReadHistoryAsync_EveryAccount_ReturnsItsOwnPlaysSince(string name)
    {
        var provider = _server.Provider();
        var sim = _server.Control.Account(name);
        var since = _server.Control.Now.AddSeconds(1);
        _server.Control.AdvanceClock(TimeSpan.FromMinutes(5));
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie)[3];
        _server.Control.Play(name, movie.RatingKey, movie.Duration, stop: true);
        _server.Control.Play("owner", _server.Sim.State.ItemsOfType(1, ItemType.Movie)[4].RatingKey, movie.Duration, stop: true);

        var history = await ToListAsync(provider.ReadHistoryAsync(_server.Account(sim), since, CancellationToken.None));

        var own = Assert.Single(history, h => h.LocalKey == Key(movie));
        Assert.Equal(_server.Control.Now.ToUnixTimeSeconds(), own.ViewedAt.ToUnixTimeSeconds());
        Assert.All(history, h => Assert.True(h.ViewedAt >= since));
        Assert.All(history, h => Assert.Equal(sim.LocalId.ToString(System.Globalization.CultureInfo.InvariantCulture), h.AccountLocalId));
    }

    [Fact]
    public async Task Sessions_ListedAndTerminatedWithAMessage()
    {
        var provider = _server.Provider();
        var episode = _server.Sim.State.ItemsOfType(2, ItemType.Episode)[0];
        var play = _server.Control.Play(_server.Bob.Name, episode.RatingKey, 60_000, clientId: "bobs-tv");

        var sessions = await provider.ListSessionsAsync(CancellationToken.None);
        var session = Assert.Single(sessions);
        Assert.Equal(play.SessionId, session.SessionId);
        Assert.Equal(Key(episode), session.LocalKey);
        Assert.Equal(_server.Bob.Name, session.UserName);

        await provider.TerminateSessionAsync(session.SessionId, "Server maintenance in 5 minutes", CancellationToken.None);

        Assert.Empty(_server.Sim.State.Sessions());
        Assert.Empty(await provider.ListSessionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Labels_AddedAndRemovedWithoutLosingOthers_AndLocked()
    {
        var provider = _server.Provider();
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie)[5];
        await provider.AddLabelsAsync(Key(movie), ["existing", "keep"], lockField: false, CancellationToken.None);

        await provider.AddLabelsAsync(Key(movie), ["marquee:alice"], lockField: true, CancellationToken.None);
        var afterAdd = await provider.GetLabelsAsync(Key(movie), CancellationToken.None);
        await provider.RemoveLabelsAsync(Key(movie), ["existing"], CancellationToken.None);
        var afterRemove = await provider.GetLabelsAsync(Key(movie), CancellationToken.None);

        Assert.Equal(["existing", "keep", "marquee:alice"], afterAdd.Order(StringComparer.Ordinal));
        Assert.Equal(["keep", "marquee:alice"], afterRemove.Order(StringComparer.Ordinal));
        Assert.True(_server.Sim.State.Item(movie.RatingKey)!.LabelLocked);

        var listed = await ToListAsync(provider.ReadAsync(_server.Account("owner"), new WatchStateQuery { Libraries = ["1"] }, CancellationToken.None));
        Assert.Equal(["keep", "marquee:alice"], listed.Single(i => i.Item.LocalKey == Key(movie)).Item.Labels.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EmptyTrash_RemovesUnavailableItems()
    {
        var provider = _server.Provider();
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie)[6];
        _server.Control.MarkUnavailable(movie.RatingKey);

        await provider.EmptyTrashAsync("1", CancellationToken.None);

        Assert.Null(await provider.ReadItemAsync(_server.Account("owner"), Key(movie), CancellationToken.None));
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("kid")]
    public async Task Watchlist_AddReadRemove(string name)
    {
        var provider = _server.Provider();
        var account = _server.Account(name);
        var sim = _server.Control.Account(name);
        var movie = _server.Sim.State.ItemsOfType(1, ItemType.Movie).First(m => m.PrimaryGuid.StartsWith("plex://movie/", StringComparison.Ordinal)
            && _server.Sim.State.WatchlistedAt(sim, m.PrimaryGuid["plex://movie/".Length..]) is null);

        await provider.AddToWatchlistAsync(account, movie.PrimaryGuid, CancellationToken.None);
        var after = await provider.ReadWatchlistAsync(account, CancellationToken.None);
        await provider.RemoveFromWatchlistAsync(account, movie.PrimaryGuid, CancellationToken.None);
        var removed = await provider.ReadWatchlistAsync(account, CancellationToken.None);

        var entry = Assert.Single(after, e => e.Key == movie.PrimaryGuid["plex://movie/".Length..]);
        Assert.Contains(entry.Ids, i => i.Scheme == ExternalId.Plex);
        Assert.DoesNotContain(removed, e => e.Key == entry.Key);
        Assert.Contains(_server.Control.RequestCounts.Keys, k => k.StartsWith("discover:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watchlist_Friend_FailsClearly()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => _server.Provider().ReadWatchlistAsync(_server.Account("bob"), CancellationToken.None));

        Assert.Contains("bob", ex.Message, StringComparison.Ordinal);
        Assert.Contains("watchlist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Libraries_FriendSeesOnlySharedSections()
    {
        var provider = _server.Provider();

        var owner = await provider.ListLibrariesAsync(_server.Account("owner"), CancellationToken.None);
        var friend = await provider.ListLibrariesAsync(_server.Account("bob"), CancellationToken.None);

        Assert.Contains(owner, l => l.Title == "Movies 4K");
        Assert.DoesNotContain(friend, l => l.Title == "Movies 4K");
        Assert.Contains(friend, l => l.Title == "Movies");
    }

    [Fact]
    public async Task Test_GoodAndBadToken()
    {
        Assert.Empty(await _server.Provider().TestAsync(CancellationToken.None));

        var problems = await _server.Provider(settings: _server.Settings(token: "wrong")).TestAsync(CancellationToken.None);

        var problem = Assert.Single(problems);
        Assert.Equal("token", problem.Field);
    }

    [Fact]
    public async Task RequestCounts_AreKeptPerEndpointTemplate()
    {
        var counts = new RequestCounts();
        var provider = _server.Provider(counts);

        await ToListAsync(provider.ReadAsync(_server.Account("owner"), WatchStateQuery.Full, CancellationToken.None));

        var snapshot = counts.Snapshot();
        Assert.Equal(1, snapshot["GET /library/sections"]);
        Assert.Equal(6, snapshot["GET /library/sections/{id}/all"]); // movies x2 sections, shows + episodes x2 sections, one page each
        Assert.Equal(_server.SimCount("GET /library/sections/{id}/all"), snapshot["GET /library/sections/{id}/all"]);
    }

    internal static string Key(PlexItem item) => item.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
