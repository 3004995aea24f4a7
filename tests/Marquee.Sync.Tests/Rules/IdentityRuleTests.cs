using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Sync.Tests.Rules;

/// <summary>DESIGN.md 4.8: ids first, episodes by show + season + episode, unresolved with a reason, never by title.</summary>
public sealed class IdentityRuleTests
{
    private static readonly FlowFilters Filters = new();

    [Fact]
    public void NoIds_IsUnresolved()
    {
        var resolution = Resolver().Resolve(Movie("1", "Same Title"), Filters);

        Assert.Equal(UnresolvedReason.NoIds, resolution.Reason);
    }

    [Fact]
    public void LocalGuid_IsIgnored_AndUnresolved()
    {
        var resolution = Resolver().Resolve(Movie("1", "Home Video") with { RawId = "local://1" }, Filters);

        Assert.Equal(UnresolvedReason.NoIds, resolution.Reason);
        Assert.Contains("local://1", resolution.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void SharedId_Matches_AcrossAgents()
    {
        var resolver = Resolver();
        var modern = resolver.Resolve(Movie("1", "Film", new ExternalId("plex", "movie/abc"), new ExternalId(ExternalId.Imdb, "tt1")), Filters);
        var legacy = resolver.Resolve(Movie("9", "Film (legacy title)", new ExternalId(ExternalId.Imdb, "tt1")), Filters);

        Assert.Equal(modern.ItemIds, legacy.ItemIds);
    }

    [Fact]
    public void SameTitle_DifferentIds_AreDifferentItems()
    {
        var resolver = Resolver();
        var a = resolver.Resolve(Movie("1", "Solaris", new ExternalId(ExternalId.Imdb, "tt0069293")), Filters);
        var b = resolver.Resolve(Movie("2", "Solaris", new ExternalId(ExternalId.Imdb, "tt0307479")), Filters);

        Assert.NotEqual(a.ItemIds, b.ItemIds);
    }

    [Fact]
    public void IdsNamingTwoItems_AreConflicting()
    {
        var resolver = Resolver();
        resolver.Resolve(Movie("1", "A", new ExternalId(ExternalId.Imdb, "tt1")), Filters);
        resolver.Resolve(Movie("2", "B", new ExternalId(ExternalId.Tmdb, "2")), Filters);

        var conflict = resolver.Resolve(Movie("3", "A", new ExternalId(ExternalId.Imdb, "tt1"), new ExternalId(ExternalId.Tmdb, "2")), Filters);

        Assert.Equal(UnresolvedReason.ConflictingIds, conflict.Reason);
    }

    [Fact]
    public void Episode_WithoutOwnIds_MatchesByShowSeasonAndEpisode()
    {
        var resolver = Resolver();
        var modern = resolver.Resolve(Episode("1", [new ExternalId("plex", "episode/e1"), new ExternalId(ExternalId.Tvdb, "555")], [new ExternalId(ExternalId.Tvdb, "100")], 1, 2), Filters);
        var legacy = resolver.Resolve(Episode("7", [], [new ExternalId(ExternalId.Tvdb, "100")], 1, 2), Filters);
        var other = resolver.Resolve(Episode("8", [], [new ExternalId(ExternalId.Tvdb, "100")], 1, 3), Filters);

        Assert.True(legacy.Resolved);
        Assert.Equal(modern.ItemIds, legacy.ItemIds);
        Assert.NotEqual(modern.ItemIds, other.ItemIds);
    }

    [Fact]
    public void MultiEpisodeItem_StandsForEachEpisode()
    {
        var resolver = Resolver();
        var both = resolver.Resolve(Episode("5", [], [new ExternalId(ExternalId.Tvdb, "100")], 1, 4) with { EpisodeEnd = 5 }, Filters);
        var fifth = resolver.Resolve(Episode("9", [], [new ExternalId(ExternalId.Tvdb, "100")], 1, 5), Filters);

        Assert.Equal(2, both.ItemIds.Count);
        Assert.Contains(fifth.ItemIds[0], both.ItemIds);
    }

    [Fact]
    public void Editions_ShareTheirMoviesIds_AndAreOneItem()
    {
        var resolver = Resolver();
        var baseCut = resolver.Resolve(Movie("1", "Blade Runner", new ExternalId(ExternalId.Imdb, "tt0083658")), Filters);
        var directors = resolver.Resolve(Movie("2", "Blade Runner", new ExternalId(ExternalId.Imdb, "tt0083658")) with { Edition = "Director's Cut" }, Filters);

        Assert.Equal(baseCut.ItemIds, directors.ItemIds);
    }

    [Fact]
    public void StoredEpisodes_MatchByTheirShowAndSlot_AndStoredEditionsByTheirMovie()
    {
        // The resolver keeps ledger items only for movies and editions; episodes must still match by show, season and episode.
        var snapshot = new IdentitySnapshot(
            [
                new LedgerItem(1, MediaKind.Show, "Show", null, null, null, null, null),
                new LedgerItem(2, MediaKind.Episode, "Pilot", null, 1, 1, 1, null),
                new LedgerItem(3, MediaKind.Movie, "Film", 2001, null, null, null, null),
                new LedgerItem(4, MediaKind.Movie, "Film", 2001, 3, null, null, "Director's Cut"),
            ],
            [(new ExternalId("tvdb", "100"), 1), (new ExternalId("tmdb", "300"), 3)],
            []);
        var resolver = new IdentityResolver(snapshot);

        var episode = resolver.Resolve(new SourceItem { LocalKey = "e1", Kind = MediaKind.Episode, ShowIds = [new ExternalId("tvdb", "100")], Season = 1, Episode = 1 }, Filters);
        var movie = resolver.Resolve(new SourceItem { LocalKey = "m1", Kind = MediaKind.Movie, Ids = [new ExternalId("tmdb", "300")] }, Filters);

        Assert.Equal([2L], episode.ItemIds);
        Assert.Equal([3L], movie.ItemIds);
        Assert.Equal(4, resolver.EditionOf(3, "director's cut"));
        Assert.Equal(3, resolver.MovieOfEdition(4));
        Assert.Null(resolver.MovieOfEdition(2));
        Assert.Empty(resolver.NewItems);
    }

    [Fact]
    public void TrimExcess_KeepsEveryIdAndSlot()
    {
        var resolver = new IdentityResolver(new IdentitySnapshot([], [], []));
        var items = Enumerable.Range(1, 3_000).Select(i => new SourceItem
        {
            LocalKey = $"e{i}",
            Kind = MediaKind.Episode,
            Ids = [new ExternalId("tvdb", $"e{i}")],
            ShowIds = [new ExternalId("tvdb", $"s{i % 7}")],
            Season = 1,
            Episode = i,
        }).ToList();
        var first = items.Select(i => resolver.Resolve(i, Filters).ItemIds.Single()).ToList();
        resolver.Commit(new Dictionary<long, long>());

        resolver.TrimExcess();

        Assert.Equal(first, items.Select(i => resolver.Resolve(i, Filters).ItemIds.Single()));
        Assert.Equal(first, items.Select(i => resolver.Resolve(i with { Ids = [] }, Filters).ItemIds.Single()));
        Assert.Empty(resolver.NewItems);
    }

    private static IdentityResolver Resolver() => new(new IdentitySnapshot([], [], []));

    private static SourceItem Movie(string key, string title, params ExternalId[] ids) =>
        new() { LocalKey = key, Kind = MediaKind.Movie, Title = title, Ids = ids };

    private static SourceItem Episode(string key, ExternalId[] ids, ExternalId[] showIds, int season, int episode) =>
        new() { LocalKey = key, Kind = MediaKind.Episode, Title = "Episode", Ids = ids, ShowIds = showIds, Season = season, Episode = episode };
}
