using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Core.Tests.Sync;

public sealed class IdentityResolverTests
{
    private static readonly FlowFilters Filters = new();

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
}
