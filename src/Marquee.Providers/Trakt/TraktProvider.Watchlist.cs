using System.Net;
using System.Text.Json.Nodes;
using Marquee.Core.Providers;

namespace Marquee.Providers.Trakt;

/// <summary>
/// The account's watchlist (TRAKT-API.md 6.5): read in pages of <c>GET /sync/watchlist</c>, every page followed (paged
/// since 2026); changed in batches of <see cref="TraktApp.BatchSize"/> per <c>POST /sync/watchlist</c> and
/// <c>/sync/watchlist/remove</c>, ids only. Movies are keyed <c>movie:{scheme}={id}</c> and shows <c>show:{scheme}={id}</c>;
/// seasons and episodes are listed with their kind and no key (a watchlist of movies and shows cannot carry them).
/// </summary>
public sealed partial class TraktProvider : IWatchlist, IWatchlistLookup, IWatchlistBatch
{
    public async Task<IReadOnlyList<WatchlistEntry>> ReadWatchlistAsync(ProviderAccount account, CancellationToken cancellationToken)
    {
        var entries = new List<WatchlistEntry>();
        foreach (var row in await ListAsync("sync/watchlist", cancellationToken))
        {
            var type = row["type"] is JsonValue t && t.TryGetValue<string>(out var text) ? text : null;
            var media = type switch
            {
                "movie" => row["movie"] as JsonObject,
                "show" => row["show"] as JsonObject,
                _ => row["show"] as JsonObject,
            };
            var ids = TraktKeys.ExternalIds(media?["ids"] as JsonObject);
            var key = type switch
            {
                "movie" => TraktKeys.Movie(ids),
                "show" => TraktKeys.Show(ids),
                _ => null,
            };
            var title = media?["title"] is JsonValue n && n.TryGetValue<string>(out var name) ? name : string.Empty;
            var year = media?["year"] is JsonValue y && y.TryGetValue<int>(out var value) ? value : (int?)null;
            entries.Add(new WatchlistEntry(key ?? string.Empty, title, type, year, type is "movie" or "show" ? ids : [], Date(row["listed_at"])));
        }

        return entries;
    }

    /// <summary>Trakt's catalogue holds every title: the key comes from the ids, with no request.</summary>
    public Task<string?> FindWatchlistKeyAsync(ProviderAccount account, WatchlistEntry entry, CancellationToken cancellationToken) =>
        Task.FromResult(entry.Type?.ToLowerInvariant() switch
        {
            "movie" => TraktKeys.Movie(entry.Ids),
            "show" => TraktKeys.Show(entry.Ids),
            _ => null,
        });

    public Task AddToWatchlistAsync(ProviderAccount account, string key, CancellationToken cancellationToken) => OneChangeAsync(account, new WatchlistChange(key, true), cancellationToken);

    public Task RemoveFromWatchlistAsync(ProviderAccount account, string key, CancellationToken cancellationToken) => OneChangeAsync(account, new WatchlistChange(key, false), cancellationToken);

    /// <summary>Adds, then removes, 100 titles per POST; a title Trakt answers as not found fails, and a refused request fails what it carried and what was not sent yet.</summary>
    public async Task<IReadOnlyList<ProviderException?>> ChangeWatchlistAsync(ProviderAccount account, IReadOnlyList<WatchlistChange> changes, CancellationToken cancellationToken)
    {
        var results = new ProviderException?[changes.Count];
        var parsed = changes.Select(c => TraktKeys.ParseListed(c.Key)).ToList();
        for (var i = 0; i < changes.Count; i++)
        {
            if (parsed[i] is null)
            {
                results[i] = new ProviderException("trakt", null, $"'{changes[i].Key}' is not a Trakt watchlist key (movie:tmdb=ID or show:tvdb=ID).");
            }
        }

        try
        {
            foreach (var (path, add) in new[] { ("sync/watchlist", true), ("sync/watchlist/remove", false) })
            {
                var indexes = Enumerable.Range(0, changes.Count).Where(i => parsed[i] is not null && changes[i].Add == add).ToList();
                foreach (var chunk in indexes.Chunk(TraktApp.BatchSize))
                {
                    await SendListAsync(path, chunk, parsed, changes, results, cancellationToken);
                }
            }
        }
        catch (ProviderException ex)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] ??= ex;
            }
        }

        return results;
    }

    private async Task SendListAsync(string path, int[] chunk, List<(string Kind, TraktKey Key)?> parsed, IReadOnlyList<WatchlistChange> changes, ProviderException?[] results, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        foreach (var group in chunk.GroupBy(i => parsed[i]!.Value.Kind))
        {
            body[group.Key + "s"] = new JsonArray([.. group.Select(i => (JsonNode)new JsonObject { ["ids"] = parsed[i]!.Value.Key.Ids() })]);
        }

        if (await PostBatchAsync(path, body, chunk, results, cancellationToken) is not { } answer)
        {
            return;
        }

        var notFound = answer["not_found"] as JsonObject;
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in new[] { "movie", "show" })
        {
            foreach (var item in (notFound?[kind + "s"] as JsonArray ?? []).OfType<JsonObject>())
            {
                missing.UnionWith(TraktKeys.ExternalIds(item["ids"] as JsonObject).Select(id => $"{kind}:{id.Scheme}={id.Value}"));
            }
        }

        foreach (var i in chunk.Where(i => missing.Contains(changes[i].Key)))
        {
            results[i] = new ProviderException("trakt", HttpStatusCode.NotFound, $"Trakt does not know {changes[i].Key} (answered as not found by POST /{path}).") { Endpoint = "POST /" + path };
        }
    }

    private async Task OneChangeAsync(ProviderAccount account, WatchlistChange change, CancellationToken cancellationToken)
    {
        if ((await ChangeWatchlistAsync(account, [change], cancellationToken))[0] is { } failure)
        {
            throw failure;
        }
    }
}
