using System.Globalization;
using Marquee.Core.Items;
using Marquee.Core.Labels;

namespace Marquee.Providers.Arr;

/// <summary>Label sync's side of Radarr and Sonarr: each tagged movie or series with its tag names, from two listings.</summary>
public abstract partial class ArrProvider : ITagSource
{
    public async Task<IReadOnlyList<LabelClaim>> ReadTagClaimsAsync(CancellationToken cancellationToken)
    {
        var tagsTask = ReadTagsAsync(cancellationToken);
        var claims = new List<LabelClaim>();
        switch (this)
        {
            case RadarrProvider radarr:
                var movies = await radarr.ReadMoviesAsync(cancellationToken);
                var movieTags = Names(await tagsTask);
                foreach (var movie in movies)
                {
                    List<ExternalId> ids = [new(ExternalId.Tmdb, movie.TmdbId.ToString(CultureInfo.InvariantCulture))];
                    if (!string.IsNullOrEmpty(movie.ImdbId))
                    {
                        ids.Add(new ExternalId(ExternalId.Imdb, movie.ImdbId));
                    }

                    claims.AddRange((movie.Tags ?? []).Where(movieTags.ContainsKey).Select(t => new LabelClaim(movieTags[t], false, ids)));
                }

                break;
            case SonarrProvider sonarr:
                var series = await sonarr.ReadSeriesAsync(cancellationToken);
                var seriesTags = Names(await tagsTask);
                foreach (var show in series)
                {
                    List<ExternalId> ids = [new(ExternalId.Tvdb, show.TvdbId.ToString(CultureInfo.InvariantCulture))];
                    if (show.TmdbId is > 0)
                    {
                        ids.Add(new ExternalId(ExternalId.Tmdb, show.TmdbId.Value.ToString(CultureInfo.InvariantCulture)));
                    }

                    claims.AddRange((show.Tags ?? []).Where(seriesTags.ContainsKey).Select(t => new LabelClaim(seriesTags[t], true, ids)));
                }

                break;
        }

        return claims;
    }

    private static Dictionary<int, string> Names(IReadOnlyList<Models.ArrTag> tags) =>
        tags.Where(t => !string.IsNullOrEmpty(t.Label)).ToDictionary(t => t.Id, t => t.Label!);
}
