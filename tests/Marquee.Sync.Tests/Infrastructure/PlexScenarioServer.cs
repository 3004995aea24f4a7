using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Sync.Tests.Infrastructure;

/// <summary>A Plex simulator as one side of a scenario.</summary>
public sealed class PlexScenarioServer(PlexSimulator sim) : IScenarioServer
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    public PlexSimulator Sim { get; } = sim;

    public string Kind => "plex";

    public JsonObject ConnectionSettings => new() { ["url"] = Sim.BaseUri.ToString(), ["token"] = Sim.Owner.AccountToken };

    public string Owner => Sim.Owner.Name;

    public string HomeUser => Sim.Accounts.First(a => a.Kind == SimAccountKind.Home && a.Pin is null).Name;

    public string Friend => Sim.Accounts.First(a => a.Kind == SimAccountKind.Friend).Name;

    public IReadOnlyList<string> Movies => PlainMovies().Select(Key).ToList();

    public IReadOnlyList<string> LegacyMovieTitles => PlainMovies().Where(m => m.PrimaryGuid.StartsWith("com.plexapp.agents.", StringComparison.Ordinal)).Select(m => m.Title).ToList();

    public (string Show, int Season, int First, int Second)? MultiEpisodeFile
    {
        get
        {
            var pair = AllEpisodes().Where(e => e.PartId != 0).GroupBy(e => e.PartId).FirstOrDefault(g => g.Count() == 2);
            if (pair is null)
            {
                return null;
            }

            var first = pair.OrderBy(e => e.Index).ToList();
            return (first[0].Show!.Title, first[0].Parent!.Index, first[0].Index, first[1].Index);
        }
    }

    public IReadOnlyDictionary<string, long> Requests => Sim.Control.RequestCounts;

    public static async Task<PlexScenarioServer> StartAsync(int variant, int movies = 40, int shows = 4, bool shokoAnime = false)
    {
        var sim = await PlexSimulator.StartAsync(
            new PlexSimulatorOptions { Seed = 11, Variant = variant, Movies = movies, Shows = shows, HomeUsers = 2, Friends = 1, ClockStart = Start, ShokoAnime = shokoAnime },
            CancellationToken.None);
        return new PlexScenarioServer(sim);
    }

    public string Movie(string title) => Key(BaseMovies().First(m => m.Title == title));

    public string? MovieEdition(string title) =>
        Sim.State.Sections.Where(s => s.Title == "Movies").SelectMany(s => Sim.State.ItemsOfType(s.Id, ItemType.Movie))
            .Where(m => m.Title == title && m.EditionTitle is not null).Select(Key).FirstOrDefault();

    public string AddEdition(string title)
    {
        var movie = BaseMovies().First(m => m.Title == title);
        var edition = Sim.Control.AddMovie(movie.SectionId, movie.Title, movie.Year, movie.PrimaryGuid);
        edition.EditionTitle = "Director's Cut";
        edition.ExternalGuids = movie.ExternalGuids;
        return Key(edition);
    }

    /// <summary>
    /// Adds another file of a movie with a guid of its own (so a state of its own, as a real server keeps state per guid)
    /// and the movie's ids: an edition when <paramref name="edition"/> is set, else a copy matched by another agent.
    /// </summary>
    public string AddOwnCopy(string title, string? edition, string primaryGuid)
    {
        var movie = BaseMovies().First(m => m.Title == title);
        var copy = Sim.Control.AddMovie(movie.SectionId, movie.Title, movie.Year, primaryGuid);
        copy.EditionTitle = edition;
        copy.ExternalGuids = movie.ExternalGuids.Length > 0 ? movie.ExternalGuids : movie.SourceIds;
        return Key(copy);
    }

    public string Title(string key) => Sim.Control.Item(int.Parse(key, CultureInfo.InvariantCulture)).Title;

    public string Episode(string show, int season, int episode) =>
        Key(AllEpisodes().First(e => e.Show!.Title == show && e.Parent!.Index == season && e.Index == episode));

    public void Mark(string account, string key, bool watched) => Sim.Control.Mark(account, Rk(key), watched);

    public void Rate(string account, string key, double? rating) =>
        Sim.State.Rate(Sim.Control.Account(account), Sim.Control.Item(Rk(key)), rating, Sim.State.Now);

    public void Play(string account, string key, int percent)
    {
        var item = Sim.Control.Item(Rk(key));
        Sim.Control.Play(account, item.RatingKey, item.Duration * percent / 100, stop: true);
    }

    public ItemView View(string account, string key)
    {
        var state = Sim.State.State(Sim.Control.Account(account), Sim.Control.Item(Rk(key)));
        return new ItemView(state.ViewCount, state.UserRating, state.ViewOffset);
    }

    public void ClearAllState()
    {
        foreach (var account in Sim.Accounts)
        {
            foreach (var item in Sim.State.Sections.SelectMany(s => Sim.State.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Episode)))
            {
                if (!Sim.State.State(account, item).IsEmpty)
                {
                    Sim.State.Unscrobble(account, item);
                    Sim.State.Rate(account, item, null, 0);
                }
            }
        }
    }

    public void RemoveEverything()
    {
        foreach (var section in Sim.State.Sections)
        {
            foreach (var root in Sim.State.Roots(section.Id))
            {
                Sim.State.Remove(root);
            }
        }
    }

    public void SetWriteLatency(int ms) => Sim.Control.SetLatency(ms);

    public void AdvanceClock(TimeSpan by) => Sim.Control.AdvanceClock(by);

    public TimeProvider Clock => Sim.State.Clock;

    public void ResetRequests() => Sim.Control.ResetCounts();

    public ValueTask DisposeAsync() => Sim.DisposeAsync();

    private static string Key(PlexItem item) => item.RatingKey.ToString(CultureInfo.InvariantCulture);

    private static int Rk(string key) => int.Parse(key, CultureInfo.InvariantCulture);

    private IEnumerable<PlexItem> BaseMovies() =>
        Sim.State.Sections.Where(s => s.Title == "Movies").SelectMany(s => Sim.State.ItemsOfType(s.Id, ItemType.Movie))
            .Where(m => m.EditionTitle is null && !m.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal));

    private IEnumerable<PlexItem> PlainMovies() =>
        BaseMovies().GroupBy(m => m.Title).Where(g => g.Count() == 1).Select(g => g.First()).OrderBy(m => m.Title, StringComparer.Ordinal);

    private IEnumerable<PlexItem> AllEpisodes() =>
        Sim.State.Sections.Where(s => s.Type == "show").SelectMany(s => Sim.State.ItemsOfType(s.Id, ItemType.Episode));
}
