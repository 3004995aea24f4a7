using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marquee.Core.Connections;
using Marquee.Core.Labels;
using Marquee.Core.Providers;

namespace Marquee.Providers.Plex;

/// <summary>
/// Friends' watchlists through the community GraphQL API (WATCHLISTS.md 2), read with the owner's plex.tv token and sent
/// only to the community host. A friend is found by the plex.tv uuid in the avatar URL <c>GET plex.tv/api/users</c> gives
/// (2.2: the same id the community uses, and it works for share-only users too). Pages of 100, cursor after cursor, paced.
/// Answers are classified by their <c>errors</c> (2.4): privacy and unknown users are definitive refusals, anything
/// malformed is a failure; none of them is an empty list.
/// </summary>
public sealed partial class PlexProvider : IFriendWatchlists
{
    private const string WatchlistQuery =
        "query GetWatchlistHub($user: UserInput!, $first: PaginationInt!, $after: String) { userV2(user: $user) { ... on User { watchlist(first: $first, after: $after) { nodes { id guid type title year } pageInfo { hasNextPage endCursor } } } } }";

    private const int CommunityPage = 100;

    private Dictionary<string, string>? _friendUuids;

    public async Task<IReadOnlyList<WatchlistEntry>> ReadFriendWatchlistAsync(ProviderAccount friend, CancellationToken cancellationToken)
    {
        var uuid = await FriendUuidAsync(friend, cancellationToken);
        var result = new List<WatchlistEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        for (var page = 0; ; page++)
        {
            if (page > 0 && _client.CommunityPageDelay > TimeSpan.Zero)
            {
                await Task.Delay(_client.CommunityPageDelay, _time, cancellationToken);
            }

            using var answer = await _client.GraphQlAsync(WatchlistBody(uuid, after), _accounts.PlexTvToken, cancellationToken);
            var watchlist = Watchlist(answer.RootElement, friend);
            foreach (var node in watchlist.GetProperty("nodes").EnumerateArray())
            {
                var entry = Entry(node, friend);
                if (seen.Add(entry.Key))
                {
                    result.Add(entry);
                }
            }

            var info = watchlist.GetProperty("pageInfo");
            var next = info.TryGetProperty("endCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String ? cursor.GetString() : null;
            if (!info.TryGetProperty("hasNextPage", out var more) || more.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Malformed(friend, "pageInfo.hasNextPage is missing");
            }

            if (more.ValueKind == JsonValueKind.False)
            {
                return result;
            }

            if (next is null || next == after)
            {
                throw Malformed(friend, "hasNextPage is true but endCursor does not move on");
            }

            after = next;
        }
    }

    private static byte[] WatchlistBody(string uuid, string? after)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("operationName", "GetWatchlistHub");
            w.WriteString("query", WatchlistQuery);
            w.WriteStartObject("variables");
            w.WriteStartObject("user");
            w.WriteString("id", uuid);
            w.WriteEndObject();
            w.WriteNumber("first", CommunityPage);
            if (after is null)
            {
                w.WriteNull("after");
            }
            else
            {
                w.WriteString("after", after);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary><c>data.userV2.watchlist</c> of a clean answer; a refusal or any other shape is a failure naming why.</summary>
    private JsonElement Watchlist(JsonElement root, ProviderAccount friend)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(friend, "the answer is not a JSON object");
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var message = errors[0].TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "an error without a message";
            var reason = message.StartsWith("User not found: User privacy prevents viewing", StringComparison.Ordinal)
                ? "their watchlist is private (Plex privacy setting: Watchlist visible to friends is needed)"
                : message.StartsWith("User not found:", StringComparison.Ordinal)
                    ? $"plex.tv does not know them as a community user ({message})"
                    : $"the community API answered an error: {message}";
            throw new ProviderException(PlexClient.ProviderName, HttpStatusCode.OK, $"Plex community for connection '{_client.ConnectionName}': the watchlist of friend '{friend.Name}' cannot be read: {reason}")
            {
                Endpoint = PlexClient.EndpointName(PlexHost.Community, HttpMethod.Post, "/api"),
                Failure = ProviderFailure.WrongContent,
            };
        }

        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("userV2", out var user) && user.ValueKind == JsonValueKind.Object
            && user.TryGetProperty("watchlist", out var watchlist) && watchlist.ValueKind == JsonValueKind.Object
            && watchlist.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array
            && watchlist.TryGetProperty("pageInfo", out var info) && info.ValueKind == JsonValueKind.Object)
        {
            return watchlist;
        }

        throw Malformed(friend, "no data.userV2.watchlist with nodes and pageInfo");
    }

    private WatchlistEntry Entry(JsonElement node, ProviderAccount friend)
    {
        string? Text(string name) => node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var id = Text("id");
        var guid = Text("guid");
        var type = Text("type")?.ToLowerInvariant();
        if (id is null || guid is null || type is not ("movie" or "show"))
        {
            throw Malformed(friend, $"a watchlist node without id, guid or a MOVIE/SHOW type ({node.GetRawText()[..Math.Min(200, node.GetRawText().Length)]})");
        }

        int? year = node.TryGetProperty("year", out var y) && y.ValueKind == JsonValueKind.Number && y.TryGetInt32(out var n) && n > 0 ? n : null;
        return new WatchlistEntry(id, Text("title") ?? string.Empty, type, year, PlexGuidParser.Parse(guid).Ids, null);
    }

    private ProviderException Malformed(ProviderAccount friend, string detail) =>
        _client.Unexpected(PlexHost.Community, HttpMethod.Post, "/api", $"malformed GraphQL answer for the watchlist of friend '{friend.Name}': {detail}");

    /// <summary>The friend's plex.tv uuid, from the avatar URL of their entry in <c>GET plex.tv/api/users</c> (read once per provider).</summary>
    private async Task<string> FriendUuidAsync(ProviderAccount friend, CancellationToken cancellationToken)
    {
        if (friend.Kind != Account.KindFriend)
        {
            throw new ProviderException(PlexClient.ProviderName, null, $"Plex connection '{_client.ConnectionName}': '{friend.Name}' is a {friend.Kind} account, not a friend");
        }

        if (_friendUuids is null)
        {
            var users = await _client.GetXmlAsync(PlexHost.PlexTv, "/api/users", "api/users", _accounts.PlexTvToken, cancellationToken);
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var user in users.Descendants("User"))
            {
                if ((string?)user.Attribute("id") is { Length: > 0 } id && AvatarUuid().Match((string?)user.Attribute("thumb") ?? string.Empty) is { Success: true } match)
                {
                    found[id] = match.Groups[1].Value;
                }
            }

            _friendUuids = found;
        }

        return _friendUuids.TryGetValue(friend.ExternalId, out var uuid)
            ? uuid
            : throw new ProviderException(PlexClient.ProviderName, null, $"plex.tv for connection '{_client.ConnectionName}': friend '{friend.Name}' has no plex.tv uuid in /api/users (no longer a friend?), so their watchlist cannot be asked for")
            {
                Endpoint = "plextv:GET /api/users",
            };
    }

    [GeneratedRegex("/users/([0-9a-f]{16})/avatar", RegexOptions.CultureInvariant)]
    private static partial Regex AvatarUuid();
}
