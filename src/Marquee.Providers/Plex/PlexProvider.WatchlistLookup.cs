using System.Net;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Plex;

/// <summary>
/// From a title another side's watchlist names by its ids to the Discover id Plex's watchlist takes
/// (WATCHLISTS.md 1.4): <c>GET /library/metadata/matches?type=1|2&amp;guid=tmdb://…</c> on Discover with the account's
/// token, tmdb first, then imdb, then tvdb; a match counts only when its own ids carry the id asked for.
/// </summary>
public sealed partial class PlexProvider : IWatchlistLookup
{
    private static readonly string[] LookupSchemes = [ExternalId.Tmdb, ExternalId.Imdb, ExternalId.Tvdb];

    public async Task<string?> FindWatchlistKeyAsync(ProviderAccount account, WatchlistEntry entry, CancellationToken cancellationToken)
    {
        var type = entry.Type?.ToLowerInvariant() switch { "movie" => 1, "show" => 2, _ => 0 };
        if (type == 0)
        {
            return null;
        }

        var token = await _accounts.AccountTokenAsync(account, cancellationToken);
        foreach (var id in LookupSchemes.SelectMany(s => entry.Ids.Where(i => i.Scheme == s && i.Value.Length > 0)))
        {
            PlexResponse found;
            try
            {
                found = await _client.GetJsonAsync(PlexHost.Discover, "/library/metadata/matches", $"library/metadata/matches?type={type}&guid={E(id.ToString())}", token, PlexJson.Default.PlexResponse, cancellationToken);
            }
            catch (ProviderException ex) when (ex.Status == HttpStatusCode.NotFound)
            {
                continue;
            }

            var match = (found.MediaContainer?.Metadata ?? []).FirstOrDefault(m => m.RatingKey is { Length: > 0 } && PlexGuidParser.ForItem(m.PrimaryGuid, m.Guids).Ids.Contains(id));
            if (match?.RatingKey is { } key)
            {
                return key;
            }
        }

        return null;
    }
}
