namespace Marquee.Core.Items;

/// <summary>A canonical external id, e.g. (imdb, tt0062622), (tmdb, 62), (tvdb, 371980), (anidb, 17617), (plex, movie/5d77…).</summary>
public readonly record struct ExternalId(string Scheme, string Value)
{
    public const string Imdb = "imdb";
    public const string Tmdb = "tmdb";
    public const string Tvdb = "tvdb";
    public const string AniDb = "anidb";
    public const string TvMaze = "tvmaze";

    /// <summary>Plex's own online id (the part after <c>plex://</c>, e.g. <c>movie/5d7768ba96b655001fdc0b3e</c>).</summary>
    public const string Plex = "plex";

    /// <summary>
    /// Shoko Server's own ids: <c>episode/{id}</c> (the id in Shoko Relay's Plex guids) and <c>series/{id}</c>.
    /// </summary>
    public const string Shoko = "shoko";

    /// <summary>
    /// An AniDB episode by its anime and its number with the type prefix AniDB writes: <c>{animeId}/{n}</c> for a regular
    /// episode, <c>{animeId}/S{n}</c> special, <c>C</c> credits, <c>T</c> trailer, <c>P</c> parody, <c>O</c> other.
    /// </summary>
    public const string AniDbEpisode = "anidb-episode";

    public override string ToString() => $"{Scheme}://{Value}";
}
