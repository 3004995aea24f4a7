using System.Globalization;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Plex;

/// <summary>
/// Builds a deterministic library from the seed. Titles, years, durations and guids depend on the
/// seed only; ratingKeys and the choice of legacy agents also depend on the variant, as two real
/// servers scanning one media collection would differ.
/// </summary>
internal sealed class LibraryGenerator
{
    private static readonly string[] Adjectives =
    [
        "Silent", "Last", "Hidden", "Broken", "Crimson", "Frozen", "Golden", "Distant", "Electric", "Forgotten",
        "Midnight", "Endless", "Burning", "Quiet", "Wild", "Lonely", "Iron", "Velvet", "Shattered", "Northern",
        "Secret", "Savage", "Pale", "Restless", "Bright", "Hollow", "Lost", "Final", "Winter", "Summer",
    ];

    private static readonly string[] Nouns =
    [
        "Harbor", "Empire", "Garden", "Signal", "Frontier", "Horizon", "Kingdom", "River", "Station", "Mirror",
        "Orchard", "Circuit", "Lighthouse", "Canyon", "Archive", "Protocol", "Voyage", "Citadel", "Meridian", "Tide",
        "Compass", "Lantern", "Machine", "Paradox", "Cathedral", "Outpost", "Summit", "Labyrinth", "Engine", "Valley",
    ];

    private static readonly string[] Names = ["Ada", "Milo", "Nora", "Felix", "Iris", "Jonah", "Mara", "Otto", "Selma", "Theo", "Vera", "Wren"];

    private static readonly string[] Studios = ["Warner Bros.", "Paramount Pictures", "A24", "Focus Features", "Neon", "Universal Pictures", "Fifth Season", "Lionsgate"];

    private static readonly string[] EpisodeWords = ["Pilot", "Arrival", "Departure", "The Offer", "Crossing", "Fallout", "Reunion", "The Long Night", "Homecoming", "Turning Point", "Aftermath", "The Deal"];

    private readonly PlexSimulatorOptions _options;
    private readonly Random _titles;
    private readonly Random _agents;
    private readonly HashSet<string> _folders = new(StringComparer.OrdinalIgnoreCase);
    private int _nextKey;
    private int _nextMedia;

    public LibraryGenerator(PlexSimulatorOptions options)
    {
        _options = options;
        _titles = new Random(options.Seed);
        _agents = new Random(unchecked((options.Seed * 7919) + (options.Variant * 104729) + 17));
        _nextKey = 1000 + (options.Variant * 1_000_000);
        _nextMedia = 3000 + (options.Variant * 1_000_000);
    }

    public static IReadOnlyList<SectionInfo> Sections { get; } =
    [
        new(1, "Movies", "movie", "tv.plex.agents.movie", "Plex Movie", "6f1d9a2e-3b4c-4d5e-8f70-1a2b3c4d5e6f", "/data/media/movies", true),
        new(2, "TV Shows", "show", "tv.plex.agents.series", "Plex TV Series", "7a2e0b3f-4c5d-4e6f-9081-2b3c4d5e6f70", "/data/media/tv", true),
        new(3, "Movies 4K", "movie", "tv.plex.agents.movie", "Plex Movie", "8b3f1c40-5d6e-4f70-a192-3c4d5e6f7081", "/data/media/movies-4k", false),
        new(4, "Anime", "show", "com.plexapp.agents.hama", "Plex Series Scanner", "9c402d51-6e7f-4081-b2a3-4d5e6f708192", "/data/media/anime", true),
    ];

    public List<PlexItem> Generate()
    {
        var items = new List<PlexItem>(_options.Movies * 2 + (_options.Shows * 60));
        var fourK = new List<PlexItem>();
        for (var i = 0; i < _options.Movies; i++)
        {
            var movie = NewMovie(i, 1);
            UniqueMovieFolder(movie);
            items.Add(movie);
            var roll = _titles.NextDouble();
            if (roll < 0.03)
            {
                // An edition is another file of the same film: its base's title, year and folder. The
                // values NewMovie draws for it are replaced, not skipped, so later draws stay the same.
                var edition = NewMovie(i, 1);
                edition.Title = movie.Title;
                edition.TitleSort = movie.TitleSort;
                edition.Year = movie.Year;
                edition.OriginallyAvailableAt = movie.OriginallyAvailableAt;
                edition.EditionTitle = "Director's Cut";
                edition.Duration = movie.Duration + 900_000;
                edition.File = movie.File!.Replace(".mkv", " {edition-Director's Cut}.mkv", StringComparison.Ordinal);
                items.Add(edition);
            }
            else if (roll < 0.08)
            {
                fourK.Add(movie);
            }
        }

        foreach (var movie in fourK)
        {
            var copy = NewMovie(movie, 3);
            items.Add(copy);
        }

        for (var s = 0; s < _options.Shows; s++)
        {
            var anime = _options.AnimeShows && _options.Shows >= 5 && s % 8 == 7;
            AddShow(items, s, anime ? 4 : 2);
        }

        return items;
    }

    private PlexItem NewMovie(int index, int section)
    {
        var title = MovieTitle(index);
        var year = 1950 + _titles.Next(0, 76);
        var duration = (long)_titles.Next(80, 181) * 60_000;
        var addedAt = 1_600_000_000L + _titles.Next(0, 130_000_000);
        var hex = Hex(_options.Seed, index, 1);
        var key = _nextKey++;
        var item = new PlexItem
        {
            RatingKey = key,
            Type = ItemType.Movie,
            SectionId = section,
            Title = title,
            TitleSort = SortTitle(title),
            Year = year,
            Duration = duration,
            AddedAt = addedAt,
            UpdatedAt = addedAt + _titles.Next(0, 5_000_000),
            PrimaryGuid = "plex://movie/" + hex,
            ExternalGuids = [$"imdb://tt{1_000_000 + (index * 37 % 8_999_999):D7}", $"tmdb://{10_000 + (index * 13)}"],
            MediaId = _nextMedia,
            PartId = _nextMedia + 500_000,
            File = $"/data/media/movies/{title} ({year})/{title} ({year}).mkv",
            OriginallyAvailableAt = $"{year:D4}-{_titles.Next(1, 13):D2}-{_titles.Next(1, 29):D2}",
            Studio = Studios[_titles.Next(Studios.Length)],
            ContentRating = _titles.Next(3) switch { 0 => "PG", 1 => "PG-13", _ => "R" },
            Summary = $"A story about {title.ToLowerInvariant()}.",
        };
        _nextMedia++;
        item.SourceIds = item.ExternalGuids;
        var agentRoll = _agents.NextDouble();
        if (agentRoll < _options.UnmatchedShare)
        {
            item.PrimaryGuid = $"local://{key}";
            item.ExternalGuids = [];
        }
        else if (agentRoll < _options.UnmatchedShare + _options.LegacyShare)
        {
            item.PrimaryGuid = _agents.Next(2) == 0
                ? $"com.plexapp.agents.imdb://{item.ExternalGuids[0]["imdb://".Length..]}?lang=en"
                : $"com.plexapp.agents.themoviedb://{item.ExternalGuids[1]["tmdb://".Length..]}?lang=en";
            item.ExternalGuids = [];
        }

        return item;
    }

    /// <summary>
    /// Two films with one title and year cannot share a folder on disk: the later one gets the
    /// <c>{tmdb-N}</c> suffix Plex's naming guide uses to tell them apart.
    /// </summary>
    private void UniqueMovieFolder(PlexItem movie)
    {
        var name = $"{movie.Title} ({movie.Year})";
        if (_folders.Add("/data/media/movies/" + name))
        {
            return;
        }

        name += $" {{tmdb-{movie.SourceIds[1]["tmdb://".Length..]}}}";
        _folders.Add("/data/media/movies/" + name);
        movie.File = $"/data/media/movies/{name}/{name}.mkv";
    }

    /// <summary>A show's folder under its section's path, made unique by year (and tvdb id) like movies.</summary>
    private string ShowFolder(string title, int year, int tvdb, int section)
    {
        var root = Sections[section - 1].Path;
        foreach (var name in new[] { title, $"{title} ({year})", $"{title} ({year}) {{tvdb-{tvdb}}}" })
        {
            if (_folders.Add($"{root}/{name}"))
            {
                return $"{root}/{name}";
            }
        }

        throw new InvalidOperationException($"tvdb id {tvdb} used twice");
    }

    private PlexItem NewMovie(PlexItem source, int section)
    {
        var key = _nextKey++;
        var copy = new PlexItem
        {
            RatingKey = key,
            Type = ItemType.Movie,
            SectionId = section,
            Title = source.Title,
            TitleSort = source.TitleSort,
            Year = source.Year,
            Duration = source.Duration,
            AddedAt = source.AddedAt + 86_400,
            UpdatedAt = source.UpdatedAt + 86_400,
            PrimaryGuid = source.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal) ? $"local://{key}" : source.PrimaryGuid,
            ExternalGuids = source.ExternalGuids,
            SourceIds = source.SourceIds,
            MediaId = _nextMedia,
            PartId = _nextMedia + 500_000,
            VideoHeight = 2160,
            File = source.File!.Replace("/movies/", "/movies-4k/", StringComparison.Ordinal).Replace(".mkv", " - 2160p.mkv", StringComparison.Ordinal),
            OriginallyAvailableAt = source.OriginallyAvailableAt,
            Studio = source.Studio,
            ContentRating = source.ContentRating,
            Summary = source.Summary,
        };
        _nextMedia++;
        return copy;
    }

    private void AddShow(List<PlexItem> items, int index, int section)
    {
        var title = ShowTitle(index);
        var year = 1990 + _titles.Next(0, 36);
        var addedAt = 1_600_000_000L + _titles.Next(0, 120_000_000);
        var seasons = _titles.Next(1, Math.Max(1, _options.Seasons) + 1);
        var specials = _titles.NextDouble() < 0.3;
        var episodeMinutes = _titles.Next(2) == 0 ? 24 : _titles.Next(40, 61);
        var tvdb = 300_000 + (index * 17);
        var tmdb = 90_000 + (index * 11);
        var anidb = 10_000 + (index * 3);
        var agentRoll = _agents.NextDouble();
        var scheme = section == 4
            ? (agentRoll < 0.5 ? "hama-anidb" : "hama-tvdb")
            : agentRoll < _options.UnmatchedShare ? "local" : agentRoll < _options.UnmatchedShare + _options.LegacyShare ? (_agents.Next(2) == 0 ? "thetvdb" : "themoviedb") : "plex";
        var showKey = _nextKey++;
        var show = new PlexItem
        {
            RatingKey = showKey,
            Type = ItemType.Show,
            SectionId = section,
            Title = title,
            TitleSort = SortTitle(title),
            Year = year,
            Duration = episodeMinutes * 60_000L,
            AddedAt = addedAt,
            UpdatedAt = addedAt + 1000,
            PrimaryGuid = scheme switch
            {
                "plex" => "plex://show/" + Hex(_options.Seed, index, 2),
                "thetvdb" => $"com.plexapp.agents.thetvdb://{tvdb}?lang=en",
                "themoviedb" => $"com.plexapp.agents.themoviedb://{tmdb}?lang=en",
                "hama-anidb" => $"com.plexapp.agents.hama://anidb-{anidb}?lang=en",
                "hama-tvdb" => $"com.plexapp.agents.hama://tvdb-{tvdb}?lang=en",
                _ => $"local://{showKey}",
            },
            ExternalGuids = scheme == "plex" ? [$"imdb://tt{2_000_000 + (index * 41):D7}", $"tmdb://{tmdb}", $"tvdb://{tvdb}"] : [],
            SourceIds = section == 4
                ? [$"imdb://tt{2_000_000 + (index * 41):D7}", $"tmdb://{tmdb}", $"tvdb://{tvdb}", $"anidb://{anidb}"]
                : index % 3 == 0 ? [$"imdb://tt{2_000_000 + (index * 41):D7}", $"tmdb://{tmdb}", $"tvdb://{tvdb}", $"tvmaze://{20_000 + index}"] : [$"imdb://tt{2_000_000 + (index * 41):D7}", $"tmdb://{tmdb}", $"tvdb://{tvdb}"],
            Children = [],
            OriginallyAvailableAt = $"{year:D4}-01-15",
            Studio = Studios[_titles.Next(Studios.Length)],
            ContentRating = "TV-14",
            Summary = $"A series about {title.ToLowerInvariant()}.",
            Folder = ShowFolder(title, year, tvdb, section),
        };
        items.Add(show);
        for (var season = specials ? 0 : 1; season <= seasons; season++)
        {
            var seasonKey = _nextKey++;
            var seasonItem = new PlexItem
            {
                RatingKey = seasonKey,
                Type = ItemType.Season,
                SectionId = section,
                Parent = show,
                Index = season,
                Title = season == 0 ? "Specials" : $"Season {season}",
                Year = year + Math.Max(0, season - 1),
                AddedAt = addedAt,
                UpdatedAt = addedAt + 1000,
                PrimaryGuid = SubGuid(scheme, show, index, season, null, seasonKey),
                ExternalGuids = scheme == "plex" ? [$"tvdb://{(tvdb * 10) + season}", $"tmdb://{(tmdb * 10) + season}"] : [],
                Children = [],
            };
            show.Children.Add(seasonItem);
            items.Add(seasonItem);
            var episodes = season == 0 ? _titles.Next(1, 4) : _titles.Next(6, Math.Max(6, _options.EpisodesPerSeason) + 1);
            PlexItem? previous = null;
            for (var e = 1; e <= episodes; e++)
            {
                var episodeKey = _nextKey++;
                var aired = new DateTime(Math.Min(2025, year + Math.Max(0, season - 1)), 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(e * 7);
                var episode = new PlexItem
                {
                    RatingKey = episodeKey,
                    Type = ItemType.Episode,
                    SectionId = section,
                    Parent = seasonItem,
                    Index = e,
                    Title = EpisodeWords[_titles.Next(EpisodeWords.Length)] + (e > EpisodeWords.Length ? $" {e}" : string.Empty),
                    Year = aired.Year,
                    Duration = (episodeMinutes * 60_000L) + (_titles.Next(0, 120) * 1000),
                    AddedAt = addedAt + (season * 10_000) + (e * 100),
                    UpdatedAt = addedAt + (season * 10_000) + (e * 100) + 500,
                    PrimaryGuid = SubGuid(scheme, show, index, season, e, episodeKey),
                    ExternalGuids = scheme == "plex" ? [$"imdb://tt{3_000_000 + (index * 997) + (season * 50) + e:D7}", $"tvdb://{(tvdb * 1000) + (season * 50) + e}"] : [],
                    SourceIds = [$"imdb://tt{3_000_000 + (index * 997) + (season * 50) + e:D7}", $"tvdb://{(tvdb * 1000) + (season * 50) + e}"],
                    MediaId = _nextMedia,
                    PartId = _nextMedia + 500_000,
                    File = $"{show.Folder}/Season {season:D2}/{title} - S{season:D2}E{e:D2}.mkv",
                    OriginallyAvailableAt = aired.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ContentRating = "TV-14",
                };
                _nextMedia++;

                // A multi-episode file: Plex lists every episode in it, each pointing at the same media part
                // and file, so all of them get the new name when the file grows (E07-E08 to E07-E08-E09).
                if (previous is not null && previous.PartId != 0 && _titles.NextDouble() < 0.03 && previous.File!.Contains($"E{e - 1:D2}.mkv", StringComparison.Ordinal))
                {
                    var file = previous.File.Replace($"E{e - 1:D2}.mkv", $"E{e - 1:D2}-E{e:D2}.mkv", StringComparison.Ordinal);
                    foreach (var sibling in seasonItem.Children.Where(c => c.PartId == previous.PartId))
                    {
                        sibling.File = file;
                    }

                    episode.MediaId = previous.MediaId;
                    episode.PartId = previous.PartId;
                    episode.File = file;
                }

                seasonItem.Children.Add(episode);
                items.Add(episode);
                previous = episode;
            }
        }
    }

    private string SubGuid(string scheme, PlexItem show, int index, int season, int? episode, int key)
    {
        var id = show.PrimaryGuid;
        var bare = id.Contains('?', StringComparison.Ordinal) ? id[..id.IndexOf('?', StringComparison.Ordinal)] : id;
        return scheme switch
        {
            "plex" => episode is null ? "plex://season/" + Hex(_options.Seed, (index * 100) + season, 3) : "plex://episode/" + Hex(_options.Seed, (index * 10_000) + (season * 100) + episode.Value, 4),
            "local" => $"local://{key}",
            _ => episode is null ? $"{bare}/{season}?lang=en" : $"{bare}/{season}/{episode}?lang=en",
        };
    }

    private string MovieTitle(int index)
    {
        var a = Adjectives[_titles.Next(Adjectives.Length)];
        var n = Nouns[_titles.Next(Nouns.Length)];
        var title = _titles.Next(4) switch
        {
            0 => $"The {a} {n}",
            1 => $"{n} of the {Nouns[_titles.Next(Nouns.Length)]}",
            2 => $"{Names[_titles.Next(Names.Length)]}'s {n}",
            _ => $"{a} {n}",
        };
        return index >= 2000 ? $"{title} {(index / 2000) + 1}" : title;
    }

    private string ShowTitle(int index)
    {
        var title = _titles.Next(3) switch
        {
            0 => $"The {Nouns[_titles.Next(Nouns.Length)]}",
            1 => $"{Adjectives[_titles.Next(Adjectives.Length)]} {Nouns[_titles.Next(Nouns.Length)]}",
            _ => $"{Names[_titles.Next(Names.Length)]} & {Names[_titles.Next(Names.Length)]}",
        };
        return index >= 200 ? $"{title} ({index})" : title;
    }

    private static string SortTitle(string title) =>
        title.StartsWith("The ", StringComparison.Ordinal) ? title[4..] : title;

    /// <summary>24 hex digits from the seed and index only, so every variant shares the plex:// guids.</summary>
    public static string Hex(int seed, int index, int kind)
    {
        var a = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)index * 0xC2B2AE3D27D4EB4FUL ^ (ulong)kind * 0x165667B19E3779F9UL;
        a ^= a >> 29;
        a *= 0xBF58476D1CE4E5B9UL;
        a ^= a >> 32;
        var b = a * 0x94D049BB133111EBUL;
        b ^= b >> 31;
        return "5d" + a.ToString("x16", CultureInfo.InvariantCulture) + b.ToString("x16", CultureInfo.InvariantCulture)[..6];
    }
}
