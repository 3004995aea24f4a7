using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Tests.Plex;

/// <summary>The deterministic library generator.</summary>
public sealed class GeneratorTests
{
    private static PlexState State(int seed = 7, int variant = 0, double legacy = 0.2, int movies = 300, int shows = 24) =>
        new(new PlexSimulatorOptions { Seed = seed, Variant = variant, LegacyShare = legacy, Movies = movies, Shows = shows }, new Marquee.Simulators.Infrastructure.SimClock());

    private static List<PlexItem> All(PlexState state) =>
        [.. state.Sections.SelectMany(s => Enumerable.Range(1, 4).SelectMany(t => state.ItemsOfType(s.Id, (ItemType)t)))];

    [Fact]
    public void SameSeed_SameLibrary()
    {
        var a = All(State());
        var b = All(State());
        Assert.Equal(a.Select(i => (i.RatingKey, i.Title, i.PrimaryGuid, i.AddedAt)), b.Select(i => (i.RatingKey, i.Title, i.PrimaryGuid, i.AddedAt)));
    }

    [Fact]
    public void OtherVariant_SameTitlesOtherKeysPartlyOtherAgents()
    {
        var a = All(State(variant: 0));
        var b = All(State(variant: 1));
        Assert.Equal(a.Select(i => (i.Title, i.Year, i.Index)), b.Select(i => (i.Title, i.Year, i.Index)));
        Assert.Empty(a.Select(i => i.RatingKey).Intersect(b.Select(i => i.RatingKey)));
        var differentAgents = a.Zip(b).Count(p => p.First.PrimaryGuid != p.Second.PrimaryGuid && !p.First.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal));
        Assert.InRange(differentAgents, 1, a.Count / 2);
        var sharedPlex = a.Zip(b).Count(p => p.First.PrimaryGuid == p.Second.PrimaryGuid && p.First.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal));
        Assert.True(sharedPlex > a.Count / 3);
    }

    [Fact]
    public void Library_HasEditions4kCopiesSpecialsAndMultiEpisodeFiles()
    {
        var state = State(movies: 600, shows: 60);
        var movies = state.ItemsOfType(1, ItemType.Movie);
        Assert.Contains(movies, m => m.EditionTitle is not null && movies.Exists(o => o != m && o.PrimaryGuid == m.PrimaryGuid));
        var fourK = state.ItemsOfType(3, ItemType.Movie);
        Assert.NotEmpty(fourK);
        Assert.All(fourK, m => Assert.Equal(2160, m.VideoHeight));
        Assert.Contains(fourK, m => movies.Exists(o => o.PrimaryGuid == m.PrimaryGuid));
        Assert.Contains(state.ItemsOfType(2, ItemType.Season), s => s.Index == 0 && s.Title == "Specials");
        var episodes = state.ItemsOfType(2, ItemType.Episode).Concat(state.ItemsOfType(4, ItemType.Episode)).ToList();
        Assert.Contains(episodes.GroupBy(e => e.PartId), g => g.Count() == 2);
    }

    [Fact]
    public void Library_HasModernLegacyHamaAndLocalGuids()
    {
        var all = All(State(movies: 600, shows: 60));
        Assert.Contains(all, i => i.PrimaryGuid.StartsWith("plex://movie/", StringComparison.Ordinal) && i.ExternalGuids.Any(g => g.StartsWith("imdb://", StringComparison.Ordinal)));
        Assert.Contains(all, i => i.PrimaryGuid.StartsWith("plex://episode/", StringComparison.Ordinal) && i.ExternalGuids.Any(g => g.StartsWith("tvdb://", StringComparison.Ordinal)));
        Assert.Contains(all, i => i.PrimaryGuid.StartsWith("com.plexapp.agents.imdb://tt", StringComparison.Ordinal));
        Assert.Contains(all, i => i.PrimaryGuid.StartsWith("com.plexapp.agents.themoviedb://", StringComparison.Ordinal));
        Assert.Contains(all, i => i.Type == ItemType.Episode && System.Text.RegularExpressions.Regex.IsMatch(i.PrimaryGuid, @"^com\.plexapp\.agents\.thetvdb://\d+/\d+/\d+\?lang=en$"));
        Assert.Contains(all, i => i.PrimaryGuid.StartsWith("com.plexapp.agents.hama://anidb-", StringComparison.Ordinal));
        Assert.Contains(all, i => i.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal));
        Assert.All(all.Where(i => !i.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)), i => Assert.Empty(i.ExternalGuids));
    }

    [Fact]
    public void LegacyShareZero_HasNoLegacyAgentsOutsideHama()
    {
        var all = All(State(legacy: 0));
        Assert.DoesNotContain(all, i => i.SectionId != 4 && i.PrimaryGuid.StartsWith("com.plexapp.agents.", StringComparison.Ordinal));
    }

    [Fact]
    public void Accounts_HaveDistinctTokensAndRequestedCounts()
    {
        var state = new PlexState(new PlexSimulatorOptions { HomeUsers = 3, Friends = 2, Movies = 1, Shows = 0, OwnerToken = "T" }, new Marquee.Simulators.Infrastructure.SimClock());
        Assert.Equal(6, state.Accounts.Count);
        Assert.Equal("T", state.Owner.AccountToken);
        Assert.Equal(1, state.Owner.LocalId);
        var tokens = state.Accounts.SelectMany(a => new[] { a.AccountToken, a.ServerToken }).ToList();
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        Assert.Contains(state.Accounts, a => a.Pin is not null);
    }

    [Fact]
    public void Editions_ShareTheirBasesTitleYearAndFolder()
    {
        var movies = State(movies: 1000, shows: 0).ItemsOfType(1, ItemType.Movie);
        var editions = movies.Where(m => m.EditionTitle is not null).ToList();
        Assert.NotEmpty(editions);
        foreach (var edition in editions)
        {
            var baseMovie = movies.Single(m => m.EditionTitle is null && m.RatingKey == edition.RatingKey - 1);
            Assert.Equal((baseMovie.Title, baseMovie.Year, baseMovie.TitleSort), (edition.Title, edition.Year, edition.TitleSort));
            Assert.Equal("Director's Cut", edition.EditionTitle);
            Assert.Equal(Path.GetDirectoryName(baseMovie.File), Path.GetDirectoryName(edition.File));
            Assert.EndsWith(" {edition-Director's Cut}.mkv", edition.File, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MultiEpisodeFiles_NameEveryEpisodeTheyHold()
    {
        var state = State(movies: 0, shows: 200);
        var episodes = state.ItemsOfType(2, ItemType.Episode).Concat(state.ItemsOfType(4, ItemType.Episode)).ToList();
        var shared = episodes.GroupBy(e => e.PartId).Where(g => g.Count() > 1).ToList();
        Assert.Contains(shared, g => g.Count() > 2);
        foreach (var group in shared)
        {
            Assert.Single(group.Select(e => e.File).Distinct());
            var name = Path.GetFileNameWithoutExtension(group.First().File)!;
            Assert.EndsWith(string.Join("-", group.OrderBy(e => e.Index).Select(e => $"E{e.Index:D2}")), name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NoTwoTitles_ShareAFile_AndAnimeLivesUnderItsSection()
    {
        var state = State(movies: 2000, shows: 240);
        var all = All(state).Where(i => i.File is not null).ToList();
        foreach (var file in all.GroupBy(i => i.File, StringComparer.OrdinalIgnoreCase))
        {
            // Only the episodes of one multi-episode file share a path.
            Assert.Single(file.Select(i => i.PartId).Distinct());
        }

        var anime = state.ItemsOfType(4, ItemType.Episode);
        Assert.NotEmpty(anime);
        Assert.All(anime, e => Assert.StartsWith("/data/media/anime/", e.File, StringComparison.Ordinal));
        Assert.All(state.ItemsOfType(2, ItemType.Episode), e => Assert.StartsWith("/data/media/tv/", e.File, StringComparison.Ordinal));

        // One folder per show: /data/media/{tv|anime}/<show>/Season NN/<file>.
        var episodes = state.ItemsOfType(2, ItemType.Episode).Concat(anime).ToList();
        var folders = episodes.GroupBy(e => e.File![..e.File!.IndexOf("/Season ", StringComparison.Ordinal)], StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(episodes.Select(e => e.Show).Distinct().Count(), folders.Count);
        Assert.All(folders, f => Assert.Single(f.Select(e => e.Show).Distinct()));
    }

    [Fact]
    public void DrawSequence_IsUnchanged_ByTheEditionAndPathRules()
    {
        // Items of seed 7 as the generator drew them before editions took their base's title and paths were
        // made unique: those rules replace values, they draw nothing, so seeded tests and benchmarks keep their library.
        var all = All(State(movies: 40, shows: 6)).Where(i => i.EditionTitle is null).ToDictionary(i => i.RatingKey);
        string Line(int key) => $"{key}|{all[key].Title}|{all[key].Year}|{all[key].AddedAt}";
        Assert.Equal("1000|Ada's Summit|1977|1605515113", Line(1000));
        Assert.Equal("1003|Iron Labyrinth|2000|1608527933", Line(1003));
        Assert.Equal("1046|The Restless Outpost|2018|1655775866", Line(1046));
        Assert.Equal("1242|Crossing|2007|1648793621", Line(1242));
    }
}
