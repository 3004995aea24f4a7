using System.Globalization;
using System.Text;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Plex;

/// <summary>
/// The media-query filter syntax of PLEX-API.md 4.3: the operator is split across the '=', so the
/// raw query string is parsed by hand (split at the first '=', URL-decode the key, strip operators).
/// </summary>
public sealed class MediaQuery
{
    private static readonly HashSet<string> NotFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        "type", "sort", "includeGuids", "includeMeta", "includeCollections", "includeExternalMedia", "includeAdvanced",
        "includeFields", "excludeFields", "includeElements", "excludeElements", "includeOptionalFields", "includeOptionalElements",
        "checkFiles", "asyncAugmentMetadata", "excludeAllLeaves", "limit", "push", "pop", "or", "sourceType", "id",
    };

    private readonly List<List<Condition>> _groups = [[]];

    private MediaQuery()
    {
    }

    public List<(string Field, bool Desc)> Sort { get; } = [];

    public int? Limit { get; private set; }

    public string? Error { get; private set; }

    /// <summary>
    /// Gets what the listing depends on in the query: its parameters in order without the <c>X-Plex-</c> ones (paging,
    /// token, client headers), and the clock when a relative date (<c>-7d</c>) was resolved against it.
    /// </summary>
    public string Key { get; private set; } = string.Empty;

    public static MediaQuery Parse(string? rawQuery, long now)
    {
        var q = new MediaQuery();
        var raw = rawQuery ?? string.Empty;
        if (raw.StartsWith('?'))
        {
            raw = raw[1..];
        }

        var listingKey = new StringBuilder();
        var relative = false;
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (key.StartsWith("X-Plex-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            listingKey.Append(pair).Append('&');

            if (key.Equals("sort", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var colon = part.IndexOf(':', StringComparison.Ordinal);
                    var field = colon < 0 ? part : part[..colon];
                    var dot = field.LastIndexOf('.');
                    q.Sort.Add((dot < 0 ? field : field[(dot + 1)..], colon >= 0 && part[(colon + 1)..].StartsWith("desc", StringComparison.OrdinalIgnoreCase)));
                }

                continue;
            }

            if (key.Equals("limit", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, CultureInfo.InvariantCulture, out var limit))
            {
                q.Limit = limit;
                continue;
            }

            if (key.Equals("or", StringComparison.OrdinalIgnoreCase) && value == "1")
            {
                q._groups.Add([]);
                continue;
            }

            var op = "=";
            var name = key;
            foreach (var suffix in new[] { ">>", "<<", "!", ">", "<" })
            {
                if (name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    op = suffix;
                    name = name[..^suffix.Length];
                    break;
                }
            }

            if (NotFilters.Contains(name))
            {
                continue;
            }

            var exact = false;
            if (value.StartsWith('='))
            {
                exact = true;
                value = value[1..];
            }

            var dotIndex = name.IndexOf('.', StringComparison.Ordinal);
            var scope = dotIndex < 0 ? null : name[..dotIndex];
            var fieldName = dotIndex < 0 ? name : name[(dotIndex + 1)..];
            var kind = KindOf(fieldName);
            if (kind is null)
            {
                // Unknown fields are ignored like other hints; see README.
                continue;
            }

            var values = new List<string>(value.Split(','));
            var numbers = new List<double>();
            if (kind is FieldKind.Number or FieldKind.Date or FieldKind.Tag or FieldKind.Bool)
            {
                foreach (var v in values)
                {
                    relative |= kind == FieldKind.Date && v.StartsWith('-');
                    if (!TryNumber(v, kind.Value, now, out var n))
                    {
                        q.Error = $"bad value for {fieldName}";
                        return q;
                    }

                    numbers.Add(n);
                }
            }

            q._groups[^1].Add(new Condition(scope, fieldName, kind.Value, op, exact, values, numbers));
        }

        q.Key = relative ? listingKey.Append('@').Append(now.ToString(CultureInfo.InvariantCulture)).ToString() : listingKey.ToString();
        return q;
    }

    public bool Matches(PlexState state, SimAccount account, PlexItem item)
    {
        foreach (var group in _groups)
        {
            if (group.Count == 0 && _groups.Count > 1)
            {
                continue;
            }

            if (group.TrueForAll(c => c.Matches(state, account, item)))
            {
                return true;
            }
        }

        return false;
    }

    public List<PlexItem> Apply(PlexState state, SimAccount account, List<PlexItem> items, bool hierarchyDefault)
    {
        var matched = items.Where(i => Matches(state, account, i)).ToList();
        if (Sort.Count > 0)
        {
            matched.Sort((a, b) =>
            {
                foreach (var (field, desc) in Sort)
                {
                    var c = Compare(state, account, a, b, field);
                    if (c != 0)
                    {
                        return desc ? -c : c;
                    }
                }

                return a.RatingKey.CompareTo(b.RatingKey);
            });
        }
        else if (!hierarchyDefault)
        {
            // Upper-cased keys with ordinal compares: several times faster than OrdinalIgnoreCase on 50k titles.
            var keys = matched.Select(i => $"{(i.TitleSort ?? i.Title).ToUpperInvariant()}\u0000{i.RatingKey:D10}").ToArray();
            var array = matched.ToArray();
            Array.Sort(keys, array, StringComparer.Ordinal);
            matched = [.. array];
        }

        if (Limit is { } limit && matched.Count > limit)
        {
            matched.RemoveRange(limit, matched.Count - limit);
        }

        return matched;
    }

    private static int Compare(PlexState state, SimAccount account, PlexItem a, PlexItem b, string field)
    {
        if (field is "title" or "titleSort")
        {
            return string.Compare(a.TitleSort ?? a.Title, b.TitleSort ?? b.Title, StringComparison.OrdinalIgnoreCase);
        }

        if (field == "originallyAvailableAt")
        {
            return string.CompareOrdinal(a.OriginallyAvailableAt, b.OriginallyAvailableAt);
        }

        return NumberOf(state, account, a, field).CompareTo(NumberOf(state, account, b, field));
    }

    private static double NumberOf(PlexState state, SimAccount account, PlexItem item, string field)
    {
        switch (field)
        {
            case "addedAt":
                return item.AddedAt;
            case "updatedAt":
                return item.UpdatedAt;
            case "year":
                return item.Year;
            case "duration":
                return item.Duration;
            case "index":
                return item.Index;
            case "ratingKey":
                return item.RatingKey;
            default:
                break;
        }

        var s = state.Aggregate(account, item);
        return field switch
        {
            "viewCount" => s.ViewCount,
            "lastViewedAt" => s.LastViewedAt,
            "viewOffset" => s.ViewOffset,
            "userRating" => s.UserRating ?? -1,
            "lastRatedAt" => s.LastRatedAt,
            // Items whose files are gone wait in the section's trash (deletedAt set) until emptyTrash removes them.
            "trash" => item.Unavailable ? 1 : 0,
            "unwatched" => item.IsLeaf ? (s.ViewCount == 0 ? 1 : 0) : (s.ViewedLeafCount < s.LeafCount ? 1 : 0),
            // A show or season is in progress when an episode is, or when some but not all are played.
            "inProgress" => item.IsLeaf
                ? (s.ViewOffset > 0 ? 1 : 0)
                : ((s.ViewedLeafCount > 0 && s.ViewedLeafCount < s.LeafCount) || state.AnyLeafInProgress(account, item) ? 1 : 0),
            _ => 0,
        };
    }

    private static FieldKind? KindOf(string field) => field switch
    {
        "viewCount" or "year" or "duration" or "index" or "userRating" or "viewOffset" => FieldKind.Number,
        "lastViewedAt" or "updatedAt" or "addedAt" or "lastRatedAt" => FieldKind.Date,
        "unwatched" or "inProgress" or "trash" => FieldKind.Bool,
        "label" => FieldKind.Tag,
        "title" or "guid" or "titleSort" or "editionTitle" or "originallyAvailableAt" or "contentRating" or "studio" => FieldKind.Text,
        _ => null,
    };

    private static bool TryNumber(string value, FieldKind kind, long now, out double number)
    {
        if (kind == FieldKind.Date && value.StartsWith('-'))
        {
            var digits = 1;
            while (digits < value.Length && char.IsAsciiDigit(value[digits]))
            {
                digits++;
            }

            if (!long.TryParse(value[1..digits], CultureInfo.InvariantCulture, out var amount))
            {
                number = 0;
                return false;
            }

            long unit = value[digits..] switch
            {
                "" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                "w" => 604_800,
                "mon" => 2_592_000,
                "y" => 31_536_000,
                _ => -1,
            };
            number = now - (amount * unit);
            return unit > 0;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private enum FieldKind
    {
        Number,
        Date,
        Bool,
        Tag,
        Text,
    }

    private sealed record Condition(string? Scope, string Field, FieldKind Kind, string Op, bool Exact, List<string> Values, List<double> Numbers)
    {
        public bool Matches(PlexState state, SimAccount account, PlexItem item)
        {
            var target = Scope switch
            {
                "show" => item.Show ?? (item.Type == ItemType.Show ? item : null),
                "season" => item.Type == ItemType.Episode ? item.Parent : item.Type == ItemType.Season ? item : null,
                _ => item,
            };
            if (target is null)
            {
                return false;
            }

            bool any;
            switch (Kind)
            {
                case FieldKind.Tag:
                    {
                        var labels = target.Labels;
                        any = Numbers.Exists(n => Array.IndexOf(labels, (int)n) >= 0);
                        return Op == "!" ? !any : any;
                    }

                case FieldKind.Text:
                    {
                        var text = Field switch
                        {
                            "title" => target.Title,
                            "titleSort" => target.TitleSort ?? target.Title,
                            "guid" => target.PrimaryGuid,
                            "editionTitle" => target.EditionTitle ?? string.Empty,
                            "originallyAvailableAt" => target.OriginallyAvailableAt ?? string.Empty,
                            "contentRating" => target.ContentRating ?? string.Empty,
                            _ => target.Studio ?? string.Empty,
                        };
                        var exact = Exact || Field == "guid";
                        any = Values.Exists(v => Op switch
                        {
                            ">" => text.EndsWith(v, StringComparison.OrdinalIgnoreCase),
                            "<" => text.StartsWith(v, StringComparison.OrdinalIgnoreCase),
                            _ => exact ? string.Equals(text, v, StringComparison.OrdinalIgnoreCase) : text.Contains(v, StringComparison.OrdinalIgnoreCase),
                        });
                        return Op == "!" ? !any : any;
                    }

                default:
                    {
                        var actual = NumberOf(state, account, target, Field);
                        if (Op == "!")
                        {
                            return !Numbers.Contains(actual);
                        }

                        return Numbers.Exists(n => Op switch
                        {
                            ">>" => actual > n,
                            "<<" => actual < n,
                            ">" => actual >= n,
                            "<" => actual <= n,
                            _ => actual == n,
                        });
                    }
            }
        }
    }
}
