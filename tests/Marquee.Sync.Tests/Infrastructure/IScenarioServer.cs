using System.Text.Json.Nodes;

namespace Marquee.Sync.Tests.Infrastructure;

/// <summary>What a user sees of one item on a server: plays, rating and resume point.</summary>
public sealed record ItemView(int ViewCount, double? Rating, long OffsetMs);

/// <summary>
/// One simulated server in a scenario, driven as a user would (marks, plays, ratings) and inspected afterwards.
/// Items are found by title here, in test code only; the engine itself never matches by title.
/// </summary>
public interface IScenarioServer : IAsyncDisposable
{
    string Kind { get; }

    JsonObject ConnectionSettings { get; }

    string Owner { get; }

    string HomeUser { get; }

    string Friend { get; }

    /// <summary>Gets the local keys of plain movies (no edition, not a 4K copy), in title order.</summary>
    IReadOnlyList<string> Movies { get; }

    string Movie(string title);

    string? MovieEdition(string title);

    /// <summary>Adds a "Director's Cut" edition of a movie (same ids, as Plex keeps editions); returns its key.</summary>
    string AddEdition(string title);

    string Title(string key);

    /// <summary>Gets two episodes that share one file, as (show title, season, first episode, second episode).</summary>
    (string Show, int Season, int First, int Second)? MultiEpisodeFile { get; }

    string Episode(string show, int season, int episode);

    /// <summary>Gets a movie whose guid uses a legacy agent here (and a modern one on the other variant), by title.</summary>
    IReadOnlyList<string> LegacyMovieTitles { get; }

    void Mark(string account, string key, bool watched);

    void Rate(string account, string key, double? rating);

    void Play(string account, string key, int percent);

    ItemView View(string account, string key);

    void ClearAllState();

    /// <summary>Removes every item, as when a library's disk is not mounted.</summary>
    void RemoveEverything();

    void SetWriteLatency(int ms);

    void AdvanceClock(TimeSpan by);

    /// <summary>Gets the server's clock; Marquee runs on the source's, so times in a scenario are comparable.</summary>
    TimeProvider Clock { get; }

    IReadOnlyDictionary<string, long> Requests { get; }

    void ResetRequests();
}
