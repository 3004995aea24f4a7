using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

/// <summary>What the resolver's indexes hold once a run's new items are stored (<see cref="IdentityResolver.Commit"/>).</summary>
public sealed class IdentityResolverCommitTests
{
    private static readonly FlowFilters Filters = new();

    [Fact]
    public void NewEpisodes_AreIndexedUnderTheStoredIds_WithNoSlotLeftUnderATemporaryOne()
    {
        var resolver = new IdentityResolver(new IdentitySnapshot([], [], []));
        var episodes = Enumerable.Range(1, 50).Select(e => Episode($"e{e}", season: 1, episode: e)).ToList();
        var temporary = episodes.Select(e => resolver.Resolve(e, Filters).ItemIds.Single()).ToList();
        Assert.All(temporary, id => Assert.True(id < 0));

        resolver.Commit(StoredIds(resolver));

        Assert.Equal(50, resolver.Slots);
        var stored = episodes.Select(e => resolver.Resolve(e, Filters).ItemIds.Single()).ToList();
        Assert.All(stored, id => Assert.True(id > 0));
        Assert.Equal(stored.Distinct().Count(), stored.Count);
        Assert.Empty(resolver.NewItems);
        Assert.Empty(resolver.NewIds);
    }

    [Fact]
    public void NewIds_GiveBackEachIdAsResolved_InTheOrderAdded_PackedOrNot()
    {
        var resolver = new IdentityResolver(new IdentitySnapshot([], [], []));
        var ids = new[]
        {
            new ExternalId("imdb", "tt0111161"),
            new ExternalId("shoko", "series/12"),
            new ExternalId("plex", "movie/5d7768ba96b655001fdc0b3e"),
            new ExternalId("tmdb", "0604"),
            new ExternalId("tmdb", "603"),
            new ExternalId("IMDB ", " tt0000007 "),
            new ExternalId("plex", "movie/ffffffffffffffffffffffff"),
        };
        var items = ids.Select((id, i) => resolver.Resolve(Movie($"{i}", id), Filters).ItemIds.Single()).ToList();

        // Normalized as the store keeps them (the last but one lower-cased and trimmed), each with its own item.
        var expected = ids.Select((id, i) => (new ExternalId(id.Scheme.Trim().ToLowerInvariant(), id.Value.Trim()), items[i])).ToList();
        Assert.Equal(expected, resolver.NewIds);
        Assert.Equal(expected, Enumerable.Range(0, resolver.NewIds.Count).Select(i => resolver.NewIds[i]));
    }

    [Fact]
    public void IdsOfEveryForm_FindTheStoredItem_AfterTheCommit()
    {
        var resolver = new IdentityResolver(new IdentitySnapshot([], [], []));
        var movies = new[]
        {
            Movie("1", new ExternalId("imdb", "tt0111161")),
            Movie("2", new ExternalId("tmdb", "603")),
            Movie("3", new ExternalId("plex", "movie/5d7768ba96b655001fdc0b3e")),
            Movie("4", new ExternalId("tmdb", "0604")),
            Movie("5", new ExternalId("shoko", "series/12")),
            Movie("6", new ExternalId("IMDB ", " tt0000007 ")),
        };
        foreach (var movie in movies)
        {
            resolver.Resolve(movie, Filters);
        }

        var realIds = StoredIds(resolver);
        resolver.Commit(realIds);

        var again = movies.Select(m => resolver.Resolve(m, Filters).ItemIds.Single()).ToList();
        Assert.Equal(realIds.Values.Order(), again.Order());
        Assert.Empty(resolver.NewItems);

        // Each id is its own item: the leading zero of tmdb 0604 does not make it tmdb 604's, nor imdb tt0000007 tt7's.
        Assert.Single(resolver.Resolve(Movie("7", new ExternalId("tmdb", "604")), Filters).ItemIds, id => id < 0);
        Assert.Single(resolver.Resolve(Movie("8", new ExternalId("imdb", "tt7")), Filters).ItemIds, id => id < 0);
    }

    [Fact]
    public void StoredIds_FromTheSnapshot_MatchInEveryForm()
    {
        var snapshot = new IdentitySnapshot(
            [new LedgerItem(10, MediaKind.Movie, "A", null, null, null, null, null), new LedgerItem(11, MediaKind.Movie, "B", null, null, null, null, null)],
            [(new ExternalId("Plex", "movie/5d7768ba96b655001fdc0b3e"), 10), (new ExternalId("anidb-episode", "17617/S1"), 11)],
            []);
        var resolver = new IdentityResolver(snapshot);

        Assert.Equal([10L], resolver.Resolve(Movie("1", new ExternalId("plex", "movie/5d7768ba96b655001fdc0b3e")), Filters).ItemIds);
        Assert.Equal([11L], resolver.Resolve(Movie("2", new ExternalId("anidb-episode", "17617/S1")), Filters).ItemIds);
        var conflict = resolver.Resolve(Movie("3", new ExternalId("plex", "movie/5d7768ba96b655001fdc0b3e"), new ExternalId("anidb-episode", "17617/S1")), Filters);
        Assert.Equal(UnresolvedReason.ConflictingIds, conflict.Reason);
    }

    [Fact]
    public void NewEditions_KeepTheirOrder_UnderTheStoredMovie()
    {
        var snapshot = new IdentitySnapshot(
            [new LedgerItem(3, MediaKind.Movie, "Film", 2001, null, null, null, null), new LedgerItem(4, MediaKind.Movie, "Film", 2001, 3, null, null, "Theatrical")],
            [(new ExternalId("tmdb", "300"), 3)],
            []);
        var resolver = new IdentityResolver(snapshot);
        var extended = resolver.EditionOf(3, "Extended");
        var directors = resolver.EditionOf(3, "Director's Cut");
        var newMovie = resolver.Resolve(Movie("9", new ExternalId("tmdb", "900")), Filters).ItemIds.Single();
        var itsEdition = resolver.EditionOf(newMovie, "Remastered");

        var realIds = StoredIds(resolver);
        resolver.Commit(realIds);

        Assert.Equal([4, realIds[extended], realIds[directors]], resolver.EditionsOf(3));
        Assert.Equal(realIds[directors], resolver.EditionOf(3, "director's cut"));
        Assert.Equal([realIds[itsEdition]], resolver.EditionsOf(realIds[newMovie]));
        Assert.Empty(resolver.EditionsOf(newMovie));
        Assert.Equal(realIds[newMovie], resolver.MovieOfEdition(realIds[itsEdition]));
    }

    [Fact]
    public void AFullSnapshot_IsIndexedInTablesOfItsSize()
    {
        // Sizes no doubling lands near: grown one entry at a time, a table of 3,000 has room for 4,049, one of 1,000 for 1,931.
        var movies = Enumerable.Range(1, 1_000).Select(i => new LedgerItem(i, MediaKind.Movie, "Film", null, null, null, null, null));
        var episodes = Enumerable.Range(1, 3_000).Select(i => new LedgerItem(10_000 + i, MediaKind.Episode, null, null, 5_000, 1 + (i / 100), i % 100, null));
        var ids = Enumerable.Range(1, 3_000).Select(i => (new ExternalId(ExternalId.Tvdb, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), 10_000L + i));

        var resolver = new IdentityResolver(new IdentitySnapshot([.. movies, .. episodes], [.. ids], []));

        Assert.Equal(3_000, resolver.Slots);
        var (idRoom, slotRoom, movieRoom) = resolver.TableRoom;
        Assert.InRange(idRoom, 3_000, 3_400);
        Assert.InRange(slotRoom, 3_000, 3_400);
        Assert.InRange(movieRoom, 1_000, 1_150);
        Assert.Equal([10_042L], resolver.Resolve(new SourceItem { LocalKey = "e", Kind = MediaKind.Episode, Title = "Episode", Ids = [new ExternalId("tvdb", "42")] }, Filters).ItemIds);
    }

    /// <summary>Stored ids for the resolver's new items, as the store gives them (1000 and up).</summary>
    private static Dictionary<long, long> StoredIds(IdentityResolver resolver) =>
        resolver.NewItems.Select((item, i) => (item.Id, Real: 1000L + i)).ToDictionary(p => p.Id, p => p.Real);

    private static SourceItem Movie(string key, params ExternalId[] ids) =>
        new() { LocalKey = key, Kind = MediaKind.Movie, Title = "Movie " + key, Ids = ids };

    private static SourceItem Episode(string key, int season, int episode) =>
        new() { LocalKey = key, Kind = MediaKind.Episode, Title = "Episode", ShowIds = [new ExternalId("tvdb", "81189")], Season = season, Episode = episode };
}
