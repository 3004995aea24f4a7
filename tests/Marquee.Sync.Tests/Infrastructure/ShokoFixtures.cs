using System.Text.Json.Nodes;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Shoko;

namespace Marquee.Sync.Tests.Infrastructure;

/// <summary>
/// A Shoko simulator as one side of a scenario; its users are named like the Plex accounts. Items are episodes keyed
/// as the provider keys them (<c>{seriesID}:{episodeID}</c>); Shoko holds no movies.
/// </summary>
public sealed class ShokoScenarioServer(ShokoSimulator sim) : IScenarioServer
{
    public ShokoSimulator Sim { get; } = sim;

    public string Kind => "shoko";

    /// <summary>Gets settings that log in as the administrator (no password, as Shoko allows), so every user is an account.</summary>
    public JsonObject ConnectionSettings => new() { ["url"] = Sim.BaseUri.ToString(), ["user"] = Owner, ["password"] = string.Empty };

    public string Owner => Sim.State.Users[0].Username;

    public string HomeUser => Sim.State.Users[1].Username;

    public string Friend => Sim.State.Users[2].Username;

    public IReadOnlyList<string> Movies => [];

    public IReadOnlyList<string> LegacyMovieTitles => [];

    public (string Show, int Season, int First, int Second)? MultiEpisodeFile => null;

    public IReadOnlyDictionary<string, long> Requests => Sim.Control.RequestCounts;

    public TimeProvider Clock => Sim.State.Clock;

    public static async Task<ShokoScenarioServer> StartAsync(ShokoServerVersion version, IReadOnlyList<string> users) =>
        new(await ShokoSimulator.StartAsync(new ShokoSimulatorOptions { Seed = 11, Version = version, UserNames = users, ClockStart = PlexScenarioServer.Start }, CancellationToken.None));

    public static string Key(AnimeEpisode episode) => $"{episode.SeriesId}:{episode.Id}";

    public string Movie(string title) => throw new NotSupportedException("Shoko holds anime series only.");

    public string? MovieEdition(string title) => null;

    public string AddEdition(string title) => throw new NotSupportedException("Shoko holds anime series only.");

    public string Title(string key) => Sim.Control.Episode(EpisodeId(key)).Title;

    /// <summary>The Shoko episode at a Plex coordinate of the series' agent (Shoko has no seasons of its own).</summary>
    public string Episode(string show, int season, int episode)
    {
        var catalog = Sim.State.Catalog;
        var series = catalog.Series.First(s => s.Title == show);
        return Key(catalog.Episodes.First(e => e.SeriesId == series.Id && AnimeCatalog.PlexCoordinates(series, e) == (season, episode)));
    }

    public void Mark(string account, string key, bool watched) => Sim.Control.Mark(account, EpisodeId(key), watched);

    public void Rate(string account, string key, double? rating) => throw new NotSupportedException("Shoko votes are not per user on 5.x.");

    public void Play(string account, string key, int percent)
    {
        var episode = Sim.Control.Episode(EpisodeId(key));
        var file = Sim.State.FilesOf(episode)[0].File;
        Sim.Control.Play(account, file.Id, file.DurationMs * TimeSpan.TicksPerMillisecond * percent / 100);
    }

    public ItemView View(string account, string key)
    {
        var view = Sim.Control.View(account, EpisodeId(key));
        return new ItemView(view.Watched is null ? 0 : Math.Max(1, view.WatchCount), null, (view.ResumeTicks ?? 0) / TimeSpan.TicksPerMillisecond);
    }

    public void ClearAllState() => Sim.State.ClearRecords();

    public void RemoveEverything() => throw new NotSupportedException("The Shoko simulator's catalog is fixed.");

    public void SetWriteLatency(int ms) => Sim.Control.Harness.LatencyMs = ms;

    public void AdvanceClock(TimeSpan by) => Sim.Control.AdvanceClock(by);

    public void ResetRequests() => Sim.Control.Harness.ResetCounts();

    public ValueTask DisposeAsync() => Sim.DisposeAsync();

    private static int EpisodeId(string key) => int.Parse(key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Plex with the "Anime (Shoko)" library to a Shoko simulator of the same seed and one server line; users named alike.
/// <paramref name="fromShoko"/> makes Shoko the flow's source ("left") and Plex its target.
/// </summary>
public sealed class PlexToShokoFixture(ShokoServerVersion version, bool fromShoko = false, Func<PlexScenarioServer, IReadOnlyList<string>>? shokoUsers = null) : SyncScenarioFixture
{
    private Marquee.Simulators.Plex.PlexTvFederation? _federation;

    public PlexToShokoFixture()
        : this(ShokoServerVersion.V5, fromShoko: false)
    {
    }

    public override IReadOnlyList<string> DefaultFeatures => ["watched", "progress"];

    public PlexScenarioServer Plex => (PlexScenarioServer)(fromShoko ? Target : Source);

    public ShokoScenarioServer Shoko => (ShokoScenarioServer)(fromShoko ? Source : Target);

    public AnimeCatalog Catalog => Shoko.Sim.State.Catalog;

    /// <summary>The Plex episode holding a catalog episode (found by show title and the agent's coordinates; test code only).</summary>
    public PlexItem PlexEpisode(AnimeEpisode episode)
    {
        var series = Catalog.Series.First(s => s.Id == episode.SeriesId);
        var (season, number) = AnimeCatalog.PlexCoordinates(series, episode);
        return Plex.Sim.State.ItemsOfType(5, ItemType.Episode).First(i => i.Show!.Title == series.Title && i.Parent!.Index == season && i.Index == number);
    }

    public string PlexKey(AnimeEpisode episode) => PlexEpisode(episode).RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public AnimeEpisode CatalogEpisode(int series, AnimeEpisodeType type, int number) =>
        Catalog.Episodes.First(e => e.SeriesId == Catalog.Series[series].Id && e.Type == type && e.Number == number);

    protected override async Task<(IScenarioServer Source, IScenarioServer Target, IReadOnlyDictionary<string, string?> Settings)> StartServersAsync()
    {
        var plex = await PlexScenarioServer.StartAsync(variant: 0, movies: 0, shows: 0, shokoAnime: true);
        _federation = await Marquee.Simulators.Plex.PlexTvFederation.StartAsync([plex.Sim], CancellationToken.None);
        var shoko = await ShokoScenarioServer.StartAsync(version, shokoUsers?.Invoke(plex) ?? [plex.Owner, plex.HomeUser, plex.Friend]);
        return (fromShoko ? shoko : plex, fromShoko ? plex : shoko, new Dictionary<string, string?>
        {
            ["Marquee:Plex:PlexTvUrl"] = _federation.Uri.ToString(),
            ["Marquee:Shoko:RetryDelay"] = "00:00:00.050",
            ["Marquee:Shoko:PageSize"] = "2",
        });
    }

    protected override async ValueTask DisposeServersAsync()
    {
        if (_federation is not null)
        {
            await _federation.DisposeAsync();
        }
    }
}
