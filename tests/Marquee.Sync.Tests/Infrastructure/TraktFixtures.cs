using System.Globalization;
using System.Text.Json.Nodes;
using Marquee.Providers.Trakt;
using Marquee.Simulators.Trakt;

namespace Marquee.Sync.Tests.Infrastructure;

/// <summary>
/// A Trakt simulator as one side of a scenario, built from the Plex simulator's generator with the scenario's seed (the
/// same titles and ids); its accounts are named like the Plex accounts and the connection signs in as the owner. Items
/// are keyed as the provider keys them (<c>movie:tmdb=ID</c>, <c>episode:tmdb=SHOW:S:E</c>).
/// </summary>
public sealed class TraktScenarioServer(TraktSimulator sim, IReadOnlyList<string> plexMovieTitles) : IScenarioServer
{
    public TraktSimulator Sim { get; } = sim;

    public string Kind => "trakt";

    public JsonObject ConnectionSettings
    {
        get
        {
            var token = Sim.Control.Issue(Owner);
            return new JsonObject
            {
                ["url"] = Sim.BaseUri.ToString(),
                ["clientId"] = Sim.ClientId,
                ["clientSecret"] = Sim.State.Options.ClientSecret,
                ["accessToken"] = token.AccessToken,
                ["refreshToken"] = token.RefreshToken,
                ["expiresAt"] = DateTimeOffset.FromUnixTimeSeconds(token.CreatedAt + token.ExpiresIn).ToString("O", CultureInfo.InvariantCulture),
            };
        }
    }

    public string Owner => Sim.State.Accounts[0].Name;

    public string HomeUser => Sim.State.Accounts[1].Name;

    public string Friend => Sim.State.Accounts[2].Name;

    /// <summary>Gets the keys of the Plex side's plain movies, in the same (title) order.</summary>
    public IReadOnlyList<string> Movies => plexMovieTitles.Select(Movie).ToList();

    public IReadOnlyList<string> LegacyMovieTitles => [];

    public (string Show, int Season, int First, int Second)? MultiEpisodeFile => null;

    public IReadOnlyDictionary<string, long> Requests => Sim.Control.RequestCounts;

    public TimeProvider Clock => Sim.State.Clock;

    public static async Task<TraktScenarioServer> StartAsync(PlexScenarioServer plex, int movies = 40, int shows = 4, Func<TraktSimulatorOptions, TraktSimulatorOptions>? configure = null)
    {
        var options = new TraktSimulatorOptions
        {
            Seed = 11,
            Movies = movies,
            Shows = shows,
            Accounts = [plex.Owner, plex.HomeUser, plex.Friend],
            ClockStart = PlexScenarioServer.Start,
            PollIntervalSeconds = 0,
            PostLimit = 0,
            GetLimit = 0,
        };
        var sim = await TraktSimulator.StartAsync(configure?.Invoke(options) ?? options, CancellationToken.None);
        return new TraktScenarioServer(sim, [.. plex.Movies.Select(plex.Title)]);
    }

    public static string Key(TraktMedia media) => media.Kind == TraktKind.Movie
        ? TraktKeys.Movie(Ids(media))!
        : TraktKeys.Episode(Ids(media.Show!), media.SeasonNumber!.Value, media.Number)!;

    public TraktMedia Media(string key)
    {
        var parsed = TraktKeys.Parse(key) ?? throw new ArgumentException($"'{key}' is not a Trakt key.", nameof(key));
        if (!parsed.IsEpisode)
        {
            return Sim.State.Catalog.ById(TraktKind.Movie, parsed.Scheme, parsed.Value)!;
        }

        var show = Sim.State.Catalog.ById(TraktKind.Show, parsed.Scheme, parsed.Value)!;
        return show.Episodes.First(e => e.SeasonNumber == parsed.Season && e.Number == parsed.Number);
    }

    public string Movie(string title) => Key(Sim.State.Catalog.Movies.First(m => m.Title == title));

    public string? MovieEdition(string title) => null;

    public string AddEdition(string title) => throw new NotSupportedException("Trakt has no editions.");

    public string Title(string key) => Media(key).Title ?? key;

    public string Episode(string show, int season, int episode) =>
        Key(Sim.State.Catalog.Shows.First(s => s.Title == show).Episodes.First(e => e.SeasonNumber == season && e.Number == episode));

    public void Mark(string account, string key, bool watched)
    {
        var media = Media(key);
        if (watched)
        {
            Sim.Control.Play(account, media, Sim.State.Now);
            return;
        }

        var who = Sim.Control.Account(account);
        lock (Sim.State.Gate)
        {
            who.Plays.RemoveAll(p => p.Media == media);
        }
    }

    public void Rate(string account, string key, double? rating)
    {
        var media = Media(key);
        if (rating is { } r && Math.Round(r, MidpointRounding.AwayFromZero) >= 1)
        {
            Sim.Control.Rate(account, media, (int)Math.Round(r, MidpointRounding.AwayFromZero), Sim.State.Now);
            return;
        }

        var who = Sim.Control.Account(account);
        lock (Sim.State.Gate)
        {
            who.Ratings.Remove(media);
        }
    }

    public void Play(string account, string key, int percent)
    {
        if (percent >= 80)
        {
            Mark(account, key, true);
            return;
        }

        Sim.Control.Pause(account, Media(key), percent);
    }

    public ItemView View(string account, string key)
    {
        var media = Media(key);
        var who = Sim.Control.Account(account);
        lock (Sim.State.Gate)
        {
            return new ItemView(who.Plays.Count(p => p.Media == media), who.Ratings.TryGetValue(media, out var rating) ? rating.Rating : null, 0);
        }
    }

    /// <summary>Every play of the item with its date, as Trakt keeps it.</summary>
    public IReadOnlyList<DateTimeOffset?> Plays(string account, string key)
    {
        var media = Media(key);
        var who = Sim.Control.Account(account);
        lock (Sim.State.Gate)
        {
            return [.. who.Plays.Where(p => p.Media == media).Select(p => p.WatchedAt)];
        }
    }

    public void ClearAllState()
    {
        lock (Sim.State.Gate)
        {
            foreach (var account in Sim.State.Accounts)
            {
                account.Plays.Clear();
                account.Ratings.Clear();
                account.Watchlist.Clear();
                account.Playback.Clear();
            }
        }
    }

    public void RemoveEverything() => throw new NotSupportedException("Trakt's catalogue holds every title; an account's lists are never 'unmounted'.");

    public void SetWriteLatency(int ms) => Sim.Control.Harness.LatencyMs = ms;

    public void AdvanceClock(TimeSpan by) => Sim.Control.AdvanceClock(by);

    public void ResetRequests() => Sim.Control.ResetCounts();

    public ValueTask DisposeAsync() => Sim.DisposeAsync();

    private static List<Marquee.Core.Items.ExternalId> Ids(TraktMedia media)
    {
        var ids = new JsonObject();
        if (media.Tmdb is { } tmdb)
        {
            ids["tmdb"] = tmdb;
        }

        if (media.Imdb is { } imdb)
        {
            ids["imdb"] = imdb;
        }

        if (media.Tvdb is { } tvdb)
        {
            ids["tvdb"] = tvdb;
        }

        return TraktKeys.ExternalIds(ids);
    }
}

/// <summary>Plex to Trakt: a Plex simulator and a Trakt simulator of the same seed; Trakt's write window shortened (its own tests keep it).</summary>
public class PlexToTraktFixture : SyncScenarioFixture
{
    private Marquee.Simulators.Plex.PlexTvFederation? _federation;

    public override IReadOnlyList<string> DefaultFeatures => ["watched", "ratings"];

    public PlexScenarioServer Plex => (PlexScenarioServer)Source;

    public TraktScenarioServer Trakt => (TraktScenarioServer)Target;

    protected virtual int Movies => 40;

    protected virtual int Shows => 4;

    protected virtual string WriteInterval => "00:00:00.010";

    protected virtual string PlexPageSize => "10";

    protected virtual TraktSimulatorOptions Configure(TraktSimulatorOptions options) => options;

    protected override async Task<(IScenarioServer Source, IScenarioServer Target, IReadOnlyDictionary<string, string?> Settings)> StartServersAsync()
    {
        var plex = await PlexScenarioServer.StartAsync(variant: 0, movies: Movies, shows: Shows);
        _federation = await Marquee.Simulators.Plex.PlexTvFederation.StartAsync([plex.Sim], CancellationToken.None);
        var trakt = await TraktScenarioServer.StartAsync(plex, Movies, Shows, Configure);
        return (plex, trakt, new Dictionary<string, string?>
        {
            ["Marquee:Plex:PlexTvUrl"] = _federation.Uri.ToString(),
            ["Marquee:Plex:DiscoverUrl"] = plex.Sim.DiscoverUri.ToString(),
            ["Marquee:Trakt:WriteInterval"] = WriteInterval,
            ["Marquee:Plex:PageSize"] = PlexPageSize,
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

/// <summary>
/// Plex → Trakt with 10,000 movies and Trakt's limits on: one write per 100 ms window (Trakt's is one per second; the
/// window is shortened so the test takes seconds, and the client keeps the configured window as it would Trakt's) and
/// the 2026 GET budget of 500 per 5 minutes.
/// </summary>
public sealed class LargePlexToTraktFixture : PlexToTraktFixture
{
    protected override int Movies => 10_000;

    protected override int Shows => 0;

    protected override string WriteInterval => "00:00:00.100";

    protected override string PlexPageSize => "1000";

    protected override TraktSimulatorOptions Configure(TraktSimulatorOptions options) =>
        options with { PostLimit = 1, PostWindowMs = 100, GetLimit = 500, GetWindowSeconds = 300 };
}
