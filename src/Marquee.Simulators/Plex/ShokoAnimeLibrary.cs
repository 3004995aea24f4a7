using System.Globalization;
using Marquee.Simulators.Plex.Model;
using Marquee.Simulators.Shoko;

namespace Marquee.Simulators.Plex;

/// <summary>
/// The optional "Anime (Shoko)" library (<see cref="PlexSimulatorOptions.ShokoAnime"/>): the seed's <see cref="AnimeCatalog"/>
/// as Plex shows it when the series are matched by the Shoko agents or HAMA (SHOKO-API.md section 9). Series are
/// matched in turn by Shoko Relay (<c>tv.plex.agents.custom.shoko://…/e{episodeID}</c>, with <c>tmdb://</c>/<c>tvdb://</c>
/// guids when TMDB-linked), by the legacy Shoko Relay bundle (<c>com.plexapp.agents.shokorelay://{series}/{season}/{episode}</c>)
/// and by HAMA (<c>com.plexapp.agents.hama://anidb-{aid}/{season}/{episode}</c>). Seasons follow TMDB when the series
/// is linked, else the episode type (1 regular, 0 specials, −1 credits, −2 trailers, −3 parodies, −4 others); HAMA
/// puts credits, trailers, parodies and others in season 0 from 101, 201, 301 and 401. A file holding two episodes is
/// one media part shared by both. Credits, trailers, parodies and others, which a real Plex shows as extras under
/// Shoko Relay, are listed here as episodes so they can be played and marked like the rest. One more show, "Unmatched
/// Anime", has local guids only.
/// </summary>
internal static class ShokoAnimeLibrary
{
    public static SectionInfo Section { get; } = new(5, "Anime (Shoko)", "show", "tv.plex.agents.custom.shoko", "Shoko Relay Scanner", "ad513e62-7f80-4192-c3b4-5e6f708192a3", "/data/media/anime-shoko", true);

    public static List<PlexItem> Generate(AnimeCatalog catalog, int firstKey, int firstMedia)
    {
        var items = new List<PlexItem>();
        var key = firstKey;
        var media = firstMedia;
        var mediaOfFile = new Dictionary<int, (int Media, string Path)>();
        foreach (var series in catalog.Series)
        {
            var show = Item(key++, ItemType.Show, null, 0, series.Title, ShowGuid(series), series.TmdbShowId is { } tmdb ? [$"tmdb://{tmdb}", $"tvdb://{series.TvdbShowId}"] : []);
            show.Year = series.Year;
            show.Folder = $"{Section.Path}/{series.Title}";
            show.Children = [];
            items.Add(show);
            var episodes = catalog.Episodes.Where(e => e.SeriesId == series.Id).ToList();
            foreach (var group in episodes.Select(e => (Episode: e, Coordinates: AnimeCatalog.PlexCoordinates(series, e))).GroupBy(p => p.Coordinates.Season).OrderBy(g => g.Key))
            {
                var season = Item(key++, ItemType.Season, show, group.Key, group.Key == 0 ? "Specials" : $"Season {group.Key}", SeasonGuid(series, group.Key), []);
                season.Children = [];
                show.Children.Add(season);
                items.Add(season);
                foreach (var (episode, (_, number)) in group.OrderBy(p => p.Coordinates.Number))
                {
                    var file = catalog.Files.FirstOrDefault(f => f.Episodes.Any(x => x.EpisodeId == episode.Id));
                    if (file is null)
                    {
                        // Plex lists only what is on disk.
                        continue;
                    }

                    if (!mediaOfFile.TryGetValue(file.Id, out var part))
                    {
                        part = (media++, $"{Section.Path}/{file.RelativePath}");
                        mediaOfFile[file.Id] = part;
                    }

                    var item = Item(key++, ItemType.Episode, season, number, episode.Title, EpisodeGuid(series, episode, group.Key, number), EpisodeIds(episode));
                    item.Duration = episode.DurationMs;
                    item.MediaId = part.Media;
                    item.PartId = part.Media + 500_000;
                    item.File = part.Path;
                    item.Year = episode.AirDate.Year;
                    item.OriginallyAvailableAt = episode.AirDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    season.Children.Add(item);
                    items.Add(item);
                }
            }
        }

        var unmatched = Item(key++, ItemType.Show, null, 0, "Unmatched Anime", string.Empty, []);
        unmatched.PrimaryGuid = $"local://{unmatched.RatingKey}";
        unmatched.Children = [];
        unmatched.Folder = $"{Section.Path}/Unmatched Anime";
        var first = Item(key++, ItemType.Season, unmatched, 1, "Season 1", $"local://{key - 1}", []);
        first.Children = [];
        var lone = Item(key++, ItemType.Episode, first, 1, "Episode 1", $"local://{key - 1}", []);
        lone.Duration = 1_440_000;
        lone.MediaId = media;
        lone.PartId = media + 500_000;
        lone.File = $"{unmatched.Folder}/Unmatched Anime - 01.mkv";
        first.Children.Add(lone);
        unmatched.Children.Add(first);
        items.AddRange([unmatched, first, lone]);
        return items;
    }

    private static PlexItem Item(int key, ItemType type, PlexItem? parent, int index, string title, string guid, string[] ids) => new()
    {
        RatingKey = key,
        Type = type,
        SectionId = Section.Id,
        Parent = parent,
        Index = index,
        Title = title,
        TitleSort = title,
        AddedAt = 1_700_000_000 + key,
        UpdatedAt = 1_700_000_000 + key,
        PrimaryGuid = guid,
        ExternalGuids = ids,
        SourceIds = ids,
        ContentRating = "TV-14",
    };

    private static string ShowGuid(AnimeSeries series) => series.PlexAgent switch
    {
        PlexAnimeAgent.ShokoRelay => $"tv.plex.agents.custom.shoko://show/{series.Id}",
        PlexAnimeAgent.LegacyShoko => $"com.plexapp.agents.shokorelay://{series.Id}?lang=en",
        _ => $"com.plexapp.agents.hama://anidb-{series.AniDbId}?lang=en",
    };

    private static string SeasonGuid(AnimeSeries series, int season) => series.PlexAgent switch
    {
        PlexAnimeAgent.ShokoRelay => $"tv.plex.agents.custom.shoko://season/{series.Id}s{season}",
        PlexAnimeAgent.LegacyShoko => $"com.plexapp.agents.shokorelay://{series.Id}/{season}?lang=en",
        _ => $"com.plexapp.agents.hama://anidb-{series.AniDbId}/{season}?lang=en",
    };

    private static string EpisodeGuid(AnimeSeries series, AnimeEpisode episode, int season, int number) => series.PlexAgent switch
    {
        PlexAnimeAgent.ShokoRelay => $"tv.plex.agents.custom.shoko://episode/e{episode.Id}",
        PlexAnimeAgent.LegacyShoko => $"com.plexapp.agents.shokorelay://{series.Id}/{season}/{number}?lang=en",
        _ => $"com.plexapp.agents.hama://anidb-{series.AniDbId}/{season}/{number}?lang=en",
    };

    /// <summary>Shoko Relay lists the TMDB episode's <c>tmdb://</c> and <c>tvdb://</c> ids (never <c>anidb://</c>).</summary>
    private static string[] EpisodeIds(AnimeEpisode episode) =>
        episode.TmdbEpisodeId is { } tmdb ? [$"tmdb://{tmdb}", $"tvdb://{episode.TvdbEpisodeId}"] : [];
}
