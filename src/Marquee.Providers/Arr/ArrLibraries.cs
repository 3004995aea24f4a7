using Marquee.Providers.Arr.Models;

namespace Marquee.Providers.Arr;

/// <summary>What one Radarr or Sonarr holds: its tags and movies, or its tags, series and their episodes.</summary>
public sealed record ArrLibrary(
    string ConnectionName,
    IReadOnlyList<ArrTag> Tags,
    IReadOnlyList<ArrMovie> Movies,
    IReadOnlyList<ArrSeries> Series,
    IReadOnlyDictionary<int, IReadOnlyList<ArrEpisode>> Episodes);

/// <summary>Reading the libraries of several Radarr and Sonarr instances at once (a 4K Radarr beside the main one is common).</summary>
public static class ArrLibraries
{
    /// <summary>Reads one instance: tags and movies (Radarr: two requests), or tags, series and episodes per series (Sonarr).</summary>
    public static async Task<ArrLibrary> ReadAsync(ArrProvider provider, CancellationToken cancellationToken)
    {
        var tags = provider.ReadTagsAsync(cancellationToken);
        switch (provider)
        {
            case RadarrProvider radarr:
                var movies = await radarr.ReadMoviesAsync(cancellationToken);
                return new ArrLibrary(provider.Client.ConnectionName, await tags, movies, [], new Dictionary<int, IReadOnlyList<ArrEpisode>>());
            case SonarrProvider sonarr:
                var series = await sonarr.ReadSeriesAsync(cancellationToken);
                var episodes = await sonarr.ReadEpisodesAsync(series.Select(s => s.Id), cancellationToken);
                return new ArrLibrary(provider.Client.ConnectionName, await tags, [], series, episodes);
            default:
                throw new ArgumentException($"Unknown Radarr/Sonarr provider {provider.GetType().Name}.", nameof(provider));
        }
    }

    /// <summary>Reads every instance concurrently; the libraries come back in the order given.</summary>
    public static async Task<IReadOnlyList<ArrLibrary>> ReadAllAsync(IEnumerable<ArrProvider> providers, CancellationToken cancellationToken) =>
        await Task.WhenAll(providers.Select(p => ReadAsync(p, cancellationToken)));
}
