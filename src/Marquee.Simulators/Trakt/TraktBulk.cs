using System.Text.Json.Nodes;

namespace Marquee.Simulators.Trakt;

/// <summary>One resolved object of a sync request, with the request objects it came from (innermost first) for its metadata.</summary>
public sealed record TraktBulkItem(TraktMedia Media, IReadOnlyList<JsonObject> Chain)
{
    /// <summary>The nearest value of <paramref name="key"/> (per episode, else on its season, else on its show).</summary>
    public JsonNode? Meta(string key) => Chain.Select(o => o[key]).FirstOrDefault(v => v is not null);
}

/// <summary>
/// Reads the body shared by every sync write: <c>movies</c>, <c>shows</c> (with optional nested
/// <c>seasons[].episodes[]</c>), <c>seasons</c> and <c>episodes</c>. Unmatched objects are echoed unchanged.
/// </summary>
public sealed class TraktBulk
{
    private TraktBulk()
    {
    }

    public List<TraktBulkItem> Items { get; } = [];

    public Dictionary<string, JsonArray> NotFound { get; } = new(StringComparer.Ordinal)
    {
        ["movies"] = [],
        ["shows"] = [],
        ["seasons"] = [],
        ["episodes"] = [],
    };

    /// <summary>
    /// Parses <paramref name="body"/>. With <paramref name="expand"/> (history) shows and seasons become their
    /// episodes; without it (ratings, watchlist) a bare show is the show and a show's seasons without episodes are those seasons.
    /// </summary>
    public static TraktBulk Read(TraktCatalog catalog, JsonObject body, bool expand)
    {
        var bulk = new TraktBulk();
        foreach (var (key, kind) in new[] { ("movies", TraktKind.Movie), ("shows", TraktKind.Show), ("seasons", TraktKind.Season), ("episodes", TraktKind.Episode) })
        {
            if (body[key] is null)
            {
                continue;
            }

            if (body[key] is not JsonArray array)
            {
                throw new FormatException($"'{key}' must be an array");
            }

            foreach (var node in array)
            {
                if (node is not JsonObject item)
                {
                    throw new FormatException($"every element of '{key}' must be an object");
                }

                if (catalog.Match(kind, item) is not { } media)
                {
                    bulk.NotFound[key].Add(item.DeepClone());
                    continue;
                }

                bulk.Nested(media, item, [item], expand);
            }
        }

        return bulk;
    }

    private void Nested(TraktMedia media, JsonObject item, List<JsonObject> chain, bool expand)
    {
        var childKey = media.Kind switch { TraktKind.Show => "seasons", TraktKind.Season => "episodes", _ => null };
        if (childKey is not null && item[childKey] is JsonArray children)
        {
            foreach (var node in children)
            {
                if (node is not JsonObject child || child["number"] is not JsonValue number || !number.TryGetValue<int>(out var n))
                {
                    throw new FormatException($"every element of '{childKey}' needs a 'number'");
                }

                if (media.Children.FirstOrDefault(c => c.Number == n) is { } found)
                {
                    Nested(found, child, [child, .. chain], expand);
                }
            }

            return;
        }

        if (expand && media.Kind is TraktKind.Show or TraktKind.Season)
        {
            foreach (var episode in media.Episodes)
            {
                Items.Add(new TraktBulkItem(episode, chain));
            }

            return;
        }

        Items.Add(new TraktBulkItem(media, chain));
    }

    public JsonObject NotFoundJson(JsonArray? ids = null)
    {
        var result = new JsonObject();
        foreach (var (key, value) in NotFound)
        {
            result[key] = value.DeepClone();
        }

        if (ids is not null)
        {
            result["ids"] = ids;
        }

        return result;
    }
}
