using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Shoko;

/// <summary>Control surface for tests and the <c>/_sim</c> HTTP API (not part of Shoko), shaped like the other simulators'.</summary>
public sealed class ShokoControl
{
    internal ShokoControl(ShokoState state, SimHarness harness)
    {
        State = state;
        Harness = harness;
    }

    public ShokoState State { get; }

    public SimHarness Harness { get; }

    public IReadOnlyDictionary<string, long> RequestCounts => Harness.RequestCounts;

    public DateTimeOffset Now => State.Clock.GetUtcNow();

    /// <summary>Moves the server clock (faults, latency and counts are the <see cref="Harness"/>'s).</summary>
    public void AdvanceClock(TimeSpan by) => State.Clock.Advance(by);

    public void SetMode(ShokoServerMode mode) => State.Mode = mode;

    public ShokoUser User(string name) => State.UserByName(name) ?? throw new KeyNotFoundException($"No user '{name}'.");

    public AnimeEpisode Episode(int id) => State.Episode(id) ?? throw new KeyNotFoundException($"No episode {id}.");

    public AnimeFile File(int id) => State.File(id) ?? throw new KeyNotFoundException($"No file {id}.");

    /// <summary>Marks an episode as Shoko's own web UI does (the <c>Watched/{value}</c> rules of the server line).</summary>
    public ShokoEpisodeView Mark(string user, int episodeId, bool watched)
    {
        var who = User(user);
        var episode = Episode(episodeId);
        State.MarkEpisode(who, episode, watched);
        return State.View(who, episode);
    }

    /// <summary>Plays a file to a position (ticks) as a Shoko client's scrobble does.</summary>
    public ShokoEpisodeView Play(string user, int fileId, long positionTicks)
    {
        var who = User(user);
        var file = File(fileId);
        State.Scrobble(who, file, positionTicks, null);
        return State.View(who, Episode(file.Episodes[0].EpisodeId));
    }

    public ShokoEpisodeView View(string user, int episodeId) => State.View(User(user), Episode(episodeId));

    public IReadOnlyDictionary<int, ShokoEpisodeView> Dump(string user) => State.Dump(User(user));
}
