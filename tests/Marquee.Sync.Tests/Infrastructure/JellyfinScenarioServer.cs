using System.Text.Json.Nodes;
using Marquee.Simulators.Jellyfin;
using Marquee.Simulators.Jellyfin.Model;

namespace Marquee.Sync.Tests.Infrastructure;

/// <summary>A Jellyfin or Emby simulator as one side of a scenario; its users are named like the other side's accounts.</summary>
public sealed class JellyfinScenarioServer(JellyfinSimulator sim) : IScenarioServer
{
    public JellyfinSimulator Sim { get; } = sim;

    public string Kind => Sim.State.IsEmby ? "emby" : "jellyfin";

    public JsonObject ConnectionSettings => new() { ["url"] = Sim.BaseUri.ToString(), ["apiKey"] = Sim.ApiKey };

    public string Owner => Sim.Users[0].Name;

    public string HomeUser => Sim.Users[1].Name;

    public string Friend => Sim.Users[2].Name;

    public IReadOnlyList<string> Movies => PlainMovies().Select(m => m.Id).ToList();

    /// <summary>Gets no titles: Jellyfin and Emby have no metadata agents, every id comes from ProviderIds.</summary>
    public IReadOnlyList<string> LegacyMovieTitles => [];

    public (string Show, int Season, int First, int Second)? MultiEpisodeFile =>
        Sim.State.Items().FirstOrDefault(i => i.IndexNumberEnd is { } end && end == i.IndexNumber + 1) is { } e
            ? (e.SeriesName!, e.ParentIndexNumber!.Value, e.IndexNumber!.Value, e.IndexNumberEnd!.Value)
            : null;

    public IReadOnlyDictionary<string, long> Requests => Sim.Control.RequestCounts;

    public TimeProvider Clock => Sim.State.Clock;

    /// <summary>Starts a simulator with the given seed and user names (owner, Home user, friend).</summary>
    public static async Task<JellyfinScenarioServer> StartAsync(JellyfinFlavor flavor, IReadOnlyList<string> users, int movies = 40, int shows = 4)
    {
        var sim = await JellyfinSimulator.StartAsync(
            new JellyfinSimulatorOptions { Flavor = flavor, Seed = 11, Movies = movies, Shows = shows, Users = users.Count, UserNames = users, ClockStart = PlexScenarioServer.Start },
            CancellationToken.None);
        return new JellyfinScenarioServer(sim);
    }

    public string Movie(string title) => PlainMovies().First(m => m.Name == title).Id;

    public string? MovieEdition(string title) => null;

    public string AddEdition(string title) => throw new NotSupportedException("Jellyfin groups the versions of a movie into one item; the simulator has no editions.");

    public string Title(string key) => Sim.Control.Item(key).Name;

    /// <summary>The item holding an episode; both episodes of a multi-episode file are one item.</summary>
    public string Episode(string show, int season, int episode) =>
        Sim.State.Items().First(i => i.Type == "Episode" && i.SeriesName == show && i.ParentIndexNumber == season && episode >= i.IndexNumber && episode <= (i.IndexNumberEnd ?? i.IndexNumber)).Id;

    /// <summary>Marks as the web UI's toggle does: marking an item that is already played changes nothing.</summary>
    public void Mark(string account, string key, bool watched)
    {
        if (Sim.Control.Data(account, key).Played != watched)
        {
            Sim.Control.Mark(account, key, watched);
        }
    }

    public void Rate(string account, string key, double? rating) =>
        Sim.State.Update(Sim.Control.User(account), Sim.Control.Item(key), d => d with { Rating = rating }, "UpdateUserRating");

    public void Play(string account, string key, int percent)
    {
        var item = Sim.Control.Item(key);
        Sim.Control.Play(account, key, (item.RunTimeTicks ?? 0) * percent / 100);
    }

    public ItemView View(string account, string key)
    {
        var data = Sim.Control.Data(account, key);
        return new ItemView(data.Played ? data.PlayCount : 0, data.Rating, data.PlaybackPositionTicks / TimeSpan.TicksPerMillisecond);
    }

    public void ClearAllState()
    {
        foreach (var user in Sim.Users)
        {
            foreach (var item in Sim.State.Items())
            {
                if (!Sim.State.Data(user, item).IsEmpty)
                {
                    Sim.State.Update(user, item, _ => default(JfUserData), "Reset");
                }
            }
        }
    }

    public void RemoveEverything()
    {
        foreach (var item in Sim.State.Items())
        {
            Sim.State.Remove(item.Id);
        }
    }

    public void SetWriteLatency(int ms) => Sim.Control.SetLatency(ms);

    public void AdvanceClock(TimeSpan by) => Sim.Control.AdvanceClock(by);

    public void ResetRequests() => Sim.Control.ResetCounts();

    public ValueTask DisposeAsync() => Sim.DisposeAsync();

    private IEnumerable<JfItem> PlainMovies() =>
        Sim.State.Items().Where(i => i.Type == "Movie" && i.ProviderIds.Count > 0)
            .GroupBy(m => m.Name).Where(g => g.Count() == 1).Select(g => g.First()).OrderBy(m => m.Name, StringComparer.Ordinal);
}
