using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Marquee.Core.Items;
using Marquee.Providers.Plex.Models;

namespace Marquee.Providers.Plex;

/// <summary>
/// What a Plex guid says about an item: its own external ids, or (legacy TV agents) the show's ids with a season
/// and episode number. <see cref="IsLocal"/> items (local://, none agents) cannot be matched.
/// </summary>
public sealed record PlexGuid(IReadOnlyList<ExternalId> Ids, IReadOnlyList<ExternalId> ShowIds, int? Season, int? Episode, bool IsLocal)
{
    public static PlexGuid None { get; } = new([], [], null, null, false);
}

/// <summary>Turns every guid scheme of PLEX-API.md 4.6 into canonical <see cref="ExternalId"/>s.</summary>
public static partial class PlexGuidParser
{
    private const string LegacyPrefix = "com.plexapp.agents.";

    /// <summary>Parses a primary <c>guid</c> (modern, legacy agent, HAMA, NFO, local).</summary>
    public static PlexGuid Parse(string? value) =>
        Split(value, out var scheme, out var rest) ? Parsed(scheme, rest) : PlexGuid.None;

    /// <summary>What a primary guid cut by <see cref="Split"/> says.</summary>
    private static PlexGuid Parsed(string scheme, string rest)
    {
        if (OwnId(scheme, rest) is { } ownId)
        {
            return Own(ownId);
        }

        switch (scheme)
        {
            case "local" or "tv.plex.agents.none" or "com.plexapp.agents.none":
                return PlexGuid.None with { IsLocal = true };
            case "tv.plex.agents.custom.shoko" or "tv.plex.agents.custom.shoko.movie":
                return ShokoRelay(rest);
        }

        if (!scheme.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            return PlexGuid.None;
        }

        // The agent and the rest's parts (id/season/episode) are read in place: a library of a legacy agent (HAMA's anime)
        // has one such guid per episode.
        // Four ranges: id, season, episode, and whatever follows (so the episode's range ends at its own slash).
        var agent = scheme.AsSpan(LegacyPrefix.Length);
        Span<Range> parts = stackalloc Range[4];
        var count = rest.AsSpan().Split(parts, '/');
        var id = rest[parts[0]];

        // The legacy Shoko agents number credits, trailers, parodies and others as seasons -1 to -4.
        var seasonStyle = agent is "shokorelay" or "shoko" ? NumberStyles.AllowLeadingSign : NumberStyles.None;
        int? season = count > 1 && int.TryParse(rest.AsSpan(parts[1]), seasonStyle, CultureInfo.InvariantCulture, out var s) ? s : null;
        int? episode = count > 2 && int.TryParse(rest.AsSpan(parts[2]), NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : null;
        ExternalId? external = agent switch
        {
            "imdb" => Imdb(id),
            "themoviedb" or "tmdb" => Numeric(ExternalId.Tmdb, id),
            "thetvdb" or "tvdb" => Numeric(ExternalId.Tvdb, id),
            "hama" => Hama(id),
            "shokorelay" or "shoko" => Numeric(ExternalId.Shoko, id) is { } series ? new ExternalId(ExternalId.Shoko, "series/" + series.Value) : null,
            "xbmcnfo" => Imdb(id) ?? Numeric(ExternalId.Tmdb, id),
            "xbmcnfotv" => Numeric(ExternalId.Tvdb, id),
            "none" or "localmedia" => null,
            _ => null,
        };

        if (external is null)
        {
            return PlexGuid.None with { IsLocal = agent is "none" or "localmedia" };
        }

        // A legacy TV guid with a season (and episode) names the show, not the season or episode itself; HAMA's AniDB
        // numbering also names the AniDB episode.
        return season is null
            ? Own(external.Value)
            : new PlexGuid(agent is "hama" && HamaEpisode(external.Value, season.Value, episode) is { } own ? [own] : [], [external.Value], season, episode, false);
    }

    /// <summary>Parses the <c>Guid[]</c> entries of a modern agent (imdb://, tmdb://, tvdb://…), dropping duplicates and unknown schemes.</summary>
    public static IReadOnlyList<ExternalId> ParseExternal(IEnumerable<string?> ids)
    {
        var result = new List<ExternalId>();
        foreach (var id in ids)
        {
            AddExternal(id, result);
        }

        return result;
    }

    /// <summary>
    /// Combines an item's primary guid and its <c>Guid[]</c> into one answer: the primary guid's ids, then the others not
    /// among them.
    /// </summary>
    public static PlexGuid ForItem(string? primaryGuid, IReadOnlyList<PlexTag>? guids) =>
        ForItem(primaryGuid, guids is null ? null : External(guids));

    /// <summary>
    /// The same for ids already read from the <c>Guid[]</c> entries (<see cref="External"/>: each once, plex:// ones left
    /// out). Read for every listed item, so an item whose <c>Guid[]</c> adds nothing gets the primary answer itself.
    /// </summary>
    public static PlexGuid ForItem(string? primaryGuid, IReadOnlyList<ExternalId>? external)
    {
        var cut = Split(primaryGuid, out var scheme, out var rest);
        if (cut && external is { Count: > 0 } && OwnId(scheme, rest) is { } own)
        {
            // One id of the item's own (plex://, or a modern agent's: most listed items): the answer is made once, with
            // that id first, instead of the primary answer and then a copy of it with the other ids.
            var withOwn = new ExternalId[1 + external.Count];
            withOwn[0] = own;
            return new PlexGuid(Fitted(withOwn, AddNew(withOwn, 1, external)), [], null, null, false);
        }

        var primary = cut ? Parsed(scheme, rest) : PlexGuid.None;
        if (external is not { Count: > 0 })
        {
            return primary;
        }

        var ids = Union(primary.Ids, external, []);
        return ids.Length == primary.Ids.Count ? primary : primary with { Ids = ids };
    }

    /// <summary>The ids the <c>Guid[]</c> entries name, in the order first named, each once, without plex:// ones.</summary>
    public static IReadOnlyList<ExternalId> External(IReadOnlyList<PlexTag?> guids)
    {
        var external = new List<ExternalId>(guids.Count);
        for (var i = 0; i < guids.Count; i++)
        {
            AddExternal(guids[i]?.Id, external);
        }

        return external;
    }

    /// <summary>
    /// Adds the id of one <c>Guid[]</c> entry given as its UTF-8 text, as <see cref="AddExternal(string?, List{ExternalId})"/>
    /// adds it, when the entry is of a modern agent (imdb://, tmdb://, tvdb://, anidb://, tvmaze://, the scheme in ASCII
    /// letters of any case): only the id after the scheme becomes a string, not the whole guid. False for any other entry,
    /// which the caller reads as a string.
    /// </summary>
    internal static bool TryAddModern(ReadOnlySpan<byte> guid, List<ExternalId> into)
    {
        var sep = guid.IndexOf("://"u8);
        if (sep <= 0 || ModernScheme(guid[..sep]) is not { } scheme)
        {
            return false;
        }

        // Cut as Split cuts it; nothing is left of an empty rest.
        var tail = Rest(guid[(sep + 3)..], (byte)'?', (byte)'/');
        if (!tail.IsEmpty)
        {
            AddNew(into, new ExternalId(scheme, Encoding.UTF8.GetString(tail)));
        }

        return true;
    }

    /// <summary>Adds the ids of one <c>Guid[]</c> entry to <paramref name="into"/>, but not plex:// ones nor any already in it.</summary>
    internal static void AddExternal(string? guid, List<ExternalId> into)
    {
        // The modern schemes (nearly every entry) name one id: no answer object is made for them.
        if (Split(guid, out var scheme, out var rest) && Modern(scheme, rest) is { } modern)
        {
            Add(modern);
            return;
        }

        foreach (var id in Parse(guid).Ids)
        {
            Add(id);
        }

        void Add(ExternalId id)
        {
            if (id.Scheme != ExternalId.Plex)
            {
                AddNew(into, id);
            }
        }
    }

    private static void AddNew(List<ExternalId> into, ExternalId id)
    {
        if (!into.Contains(id))
        {
            into.Add(id);
        }
    }

    /// <summary>
    /// Cuts <c>scheme://rest?query</c> into its lower-case scheme and its rest (without the query and outer slashes).
    /// False when there is no scheme or no rest.
    /// </summary>
    private static bool Split(string? value, out string scheme, out string rest)
    {
        scheme = rest = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var sep = value.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            return false;
        }

        var tail = Rest(value.AsSpan(sep + 3), '?', '/');
        if (tail.IsEmpty)
        {
            return false;
        }

        scheme = KnownScheme(value.AsSpan(0, sep)) ?? value[..sep].ToLowerInvariant();
        rest = tail.ToString();
        return true;
    }

    /// <summary>
    /// What follows a guid's <c>://</c> without its query, then without the slashes around it; the one rule of
    /// <see cref="Split"/> and <see cref="TryAddModern"/>, over a guid's characters or its UTF-8 bytes.
    /// </summary>
    private static ReadOnlySpan<T> Rest<T>(ReadOnlySpan<T> tail, T query, T slash)
        where T : IEquatable<T>
    {
        var at = tail.IndexOf(query);
        return (at >= 0 ? tail[..at] : tail).Trim(slash);
    }

    /// <summary>
    /// The id a modern agent's guid names (imdb://, tmdb://, tvdb://, anidb://, tvmaze://), under the scheme's constant
    /// rather than the piece cut from the guid (a listing holds one id or more per item); null for other schemes.
    /// </summary>
    private static ExternalId? Modern(string scheme, string rest) =>
        ModernScheme(scheme) is { } canonical ? new ExternalId(canonical, rest) : null;

    /// <summary>The one id of the item's own that a plex:// or modern agent's guid names; null for other schemes.</summary>
    private static ExternalId? OwnId(string scheme, string rest) =>
        Modern(scheme, rest) ?? (scheme == "plex" ? new ExternalId(ExternalId.Plex, rest) : null);

    /// <summary>The schemes of the modern agents, each naming one id (<see cref="Modern"/>, <see cref="TryAddModern"/>).</summary>
    private static readonly string[] ModernSchemes = [ExternalId.Imdb, ExternalId.Tmdb, ExternalId.Tvdb, ExternalId.AniDb, ExternalId.TvMaze];

    /// <summary>The constant of a modern agent's scheme, in ASCII letters of any case; null for any other.</summary>
    private static string? ModernScheme(ReadOnlySpan<char> scheme)
    {
        foreach (var known in ModernSchemes)
        {
            if (Ascii.EqualsIgnoreCase(scheme, known))
            {
                return known;
            }
        }

        return null;
    }

    /// <inheritdoc cref="ModernScheme(ReadOnlySpan{char})"/>
    private static string? ModernScheme(ReadOnlySpan<byte> scheme)
    {
        foreach (var known in ModernSchemes)
        {
            if (Ascii.EqualsIgnoreCase(scheme, known))
            {
                return known;
            }
        }

        return null;
    }

    /// <summary>The schemes most guids carry, as constants rather than a piece cut from each guid.</summary>
    private static string? KnownScheme(ReadOnlySpan<char> scheme) =>
        scheme.Equals("plex", StringComparison.OrdinalIgnoreCase) ? "plex"
        : scheme.Equals("imdb", StringComparison.OrdinalIgnoreCase) ? "imdb"
        : scheme.Equals("tmdb", StringComparison.OrdinalIgnoreCase) ? "tmdb"
        : scheme.Equals("tvdb", StringComparison.OrdinalIgnoreCase) ? "tvdb"
        : null;

    /// <summary>
    /// The ids of the three lists, each once, in the order first seen (a handful per item: a scan beats a hash set here),
    /// as an array: the item keeps it for the whole run.
    /// </summary>
    internal static ExternalId[] Union(IReadOnlyList<ExternalId> first, IReadOnlyList<ExternalId> second, IReadOnlyList<ExternalId> third)
    {
        var all = new ExternalId[first.Count + second.Count + third.Count];
        return Fitted(all, AddNew(all, AddNew(all, AddNew(all, 0, first), second), third));
    }

    /// <summary>Appends to the first <paramref name="count"/> of <paramref name="all"/> each id of <paramref name="list"/> not among them; gives the new count.</summary>
    private static int AddNew(ExternalId[] all, int count, IReadOnlyList<ExternalId> list)
    {
        // By index: enumerating through the interface makes an enumerator per list.
        for (var i = 0; i < list.Count; i++)
        {
            if (Array.IndexOf(all, list[i], 0, count) < 0)
            {
                all[count++] = list[i];
            }
        }

        return count;
    }

    private static ExternalId[] Fitted(ExternalId[] all, int count) => count == all.Length ? all : all[..count];

    private static PlexGuid Own(ExternalId id) => new([id], [], null, null, false);

    /// <summary>
    /// Shoko Relay: <c>episode/e{id}</c> (a split file's part <c>e{id}p{n}</c>) and <c>movie/m{id}</c> are Shoko episodes,
    /// <c>show/{id}</c> a Shoko series; seasons and collections name nothing Marquee matches.
    /// </summary>
    private static PlexGuid ShokoRelay(string rest)
    {
        var match = ShokoRelayPattern().Match(rest);
        if (!match.Success)
        {
            return PlexGuid.None;
        }

        var kind = string.Equals(match.Groups["kind"].Value, "show", StringComparison.OrdinalIgnoreCase) ? "series/" : "episode/";
        return Own(new ExternalId(ExternalId.Shoko, kind + match.Groups["id"].Value));
    }

    /// <summary>
    /// HAMA's AniDB mode: season 1 holds the regular episodes; season 0 the specials (1–99), credits (101–199), trailers
    /// (201–299), parodies (301–399) and others (401–499).
    /// </summary>
    private static ExternalId? HamaEpisode(ExternalId show, int season, int? episode)
    {
        if (show.Scheme != ExternalId.AniDb || episode is not (> 0 and var n))
        {
            return null;
        }

        var number = season switch
        {
            1 => n.ToString(CultureInfo.InvariantCulture),
            0 when n < 100 => "S" + n.ToString(CultureInfo.InvariantCulture),
            0 when n is > 100 and < 500 && n % 100 != 0 => "CTPO"[(n / 100) - 1] + (n % 100).ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        return number is null ? null : new ExternalId(ExternalId.AniDbEpisode, $"{show.Value}/{number}");
    }

    private static ExternalId? Imdb(string id) =>
        ImdbPattern().IsMatch(id) ? new ExternalId(ExternalId.Imdb, id) : null;

    private static ExternalId? Numeric(string scheme, string id) =>
        id.Length > 0 && !id.AsSpan().ContainsAnyExceptInRange('0', '9') ? new ExternalId(scheme, id) : null;

    /// <summary>
    /// HAMA's ids: <c>{source}{digit}?-{id}</c>, the source one of anidb, tvdb, tmdb, tsdb and imdb in any case, the id
    /// letters and digits. Read by hand, not by a pattern: every episode of a HAMA library has one.
    /// </summary>
    private static ExternalId? Hama(string id)
    {
        var dash = id.IndexOf('-');
        if (dash <= 0 || dash == id.Length - 1 || id.AsSpan(dash + 1).ContainsAnyExcept(AsciiLettersAndDigits))
        {
            return null;
        }

        var source = id.AsSpan(0, dash);
        if (char.IsAsciiDigit(source[^1]))
        {
            source = source[..^1];
        }

        Span<char> lower = stackalloc char[8];
        if (source.Length > lower.Length)
        {
            return null;
        }

        lower = lower[..source.ToLowerInvariant(lower)];
        var value = id[(dash + 1)..];
        return lower switch
        {
            "anidb" => Numeric(ExternalId.AniDb, value),
            "tvdb" => Numeric(ExternalId.Tvdb, value),
            "tmdb" or "tsdb" => Numeric(ExternalId.Tmdb, value),
            "imdb" => Imdb(value),
            _ => null,
        };
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLettersAndDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    [GeneratedRegex(@"^(?:(?<kind>episode)/e|(?<kind>movie)/m|(?<kind>show)/)(?<id>\d+)(?:p\d+)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ShokoRelayPattern();

    [GeneratedRegex(@"^tt\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex ImdbPattern();

}
