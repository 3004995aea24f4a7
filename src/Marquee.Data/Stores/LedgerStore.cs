using Marquee.Core.Sync;

namespace Marquee.Data.Stores;

public sealed class LedgerStore(IDatabaseProvider provider) : StoreBase(provider), ILedgerStore
{
    public async Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, KeyShare? share, CancellationToken cancellationToken)
    {
        // A full run loads an account's every baseline (about 90,000 rows per account on the reference library).
        // Counted first (from the key's index), so the table is made at its size instead of growing by doubling to up to
        // twice that, with each table it grew out of left behind: it is held through the profile's listing, the run's peak.
        await using var db = await OpenAsync(cancellationToken);
        var count = await db.ExecuteScalarAsync<long>(Command("SELECT COUNT(*) FROM observed_state WHERE account_id = @accountId", new { accountId }, cancellationToken));
        var result = new Dictionary<string, ObservedState>((int)Math.Min(count, Array.MaxLength), StringComparer.Ordinal);
        var distinct = new Dictionary<ObservedState, ObservedState>();
        await ReadRowsAsync(db, BaselineColumns + " WHERE account_id = @accountId", ["accountId"], [accountId], r => result[Key(r.GetString(0))] = Shared(distinct, Baseline(r)), cancellationToken);
        return result;

        string Key(string read) => share is null ? read : share(read);
    }

    /// <summary>
    /// The one baseline object kept for all equal in every value: most of an account's baselines are the same (nothing
    /// watched, rated or begun, stored by the same run), and a full run holds both accounts' of a profile at once (about
    /// 180,000 on the reference library, 12.8 MB as one object each). Baselines are never changed, only replaced.
    /// </summary>
    private static ObservedState Shared(Dictionary<ObservedState, ObservedState> distinct, ObservedState baseline)
    {
        if (distinct.TryGetValue(baseline, out var same))
        {
            return same;
        }

        distinct.Add(baseline, baseline);
        return baseline;
    }

    /// <summary>The columns every read of baselines takes, in the order <see cref="Baseline"/> reads them.</summary>
    private const string BaselineColumns = "SELECT local_key, view_count, last_viewed_at, rating, rated_at, progress_ms, observed_at, confirmed FROM observed_state";

    /// <summary>A baseline from a row of <see cref="BaselineColumns"/>, read by column number.</summary>
    private static ObservedState Baseline(IRow r) =>
        new((int)r.GetInt64(1), OptTime(r, 2), OptDouble(r, 3), OptTime(r, 4), OptLong(r, 5), Time(r.GetInt64(6)))
        {
            Confirmed = r.IsDBNull(7) ? null : ConfirmedJson.Parse(r.GetString(7)),
        };

    public async Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ObservedState>(StringComparer.Ordinal);
        if (localKeys.Count == 0)
        {
            return result;
        }

        await using var db = await OpenAsync(cancellationToken);
        var distinct = new Dictionary<ObservedState, ObservedState>();
        foreach (var keys in localKeys.Distinct(StringComparer.Ordinal).Chunk(Batch))
        {
            await ReadRowsAsync(db, BaselineColumns + " WHERE account_id = @accountId AND local_key IN @keys", new { accountId, keys }, r => result[r.GetString(0)] = Shared(distinct, Baseline(r)), cancellationToken);
        }

        return result;
    }

    public async Task<bool> HasBaselinesAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        return await db.ExecuteScalarAsync<long>(Command("SELECT EXISTS (SELECT 1 FROM observed_state WHERE account_id = @accountId)", new { accountId }, cancellationToken)) != 0;
    }

    public async Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, CancellationToken cancellationToken)
    {
        // As the baselines: a full run loads the profile's every state.
        await using var db = await OpenAsync(cancellationToken);
        var result = new Dictionary<long, LedgerState>();
        await ReadRowsAsync(db, StateColumns + " WHERE profile_id = @profileId", ["profileId"], [profileId], r => result[r.GetInt64(0)] = State(r), cancellationToken);
        return result;
    }

    /// <summary>The columns every read of states takes, in the order <see cref="State"/> reads them.</summary>
    private const string StateColumns =
        "SELECT item_id, watched, watched_at, watched_connection_id, play_count, last_play_at, last_play_connection_id, rating, rated_at, rating_connection_id, progress_ms, progress_at, progress_connection_id, last_event_id FROM state";

    /// <summary>A state from a row of <see cref="StateColumns"/>, read by column number.</summary>
    private static LedgerState State(IRow r) => new()
    {
        Watched = r.GetInt64(1) != 0,
        WatchedAt = OptTime(r, 2),
        WatchedConnectionId = OptLong(r, 3),
        PlayCount = (int)r.GetInt64(4),
        LastPlayAt = OptTime(r, 5),
        LastPlayConnectionId = OptLong(r, 6),
        Rating = OptDouble(r, 7),
        RatedAt = OptTime(r, 8),
        RatingConnectionId = OptLong(r, 9),
        ProgressMs = OptLong(r, 10),
        ProgressAt = OptTime(r, 11),
        ProgressConnectionId = OptLong(r, 12),
        LastEventId = OptLong(r, 13),
    };

    public async Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, LedgerState>();
        if (itemIds.Count == 0)
        {
            return result;
        }

        await using var db = await OpenAsync(cancellationToken);
        foreach (var ids in itemIds.Distinct().Chunk(Batch))
        {
            await ReadRowsAsync(db, StateColumns + " WHERE profile_id = @profileId AND item_id IN @ids", new { profileId, ids }, r => result[r.GetInt64(0)] = State(r), cancellationToken);
        }

        return result;
    }

    public async Task<ObservedState?> LoadBaselineAsync(long accountId, string localKey, CancellationToken cancellationToken) =>
        (await LoadBaselinesAsync(accountId, [localKey], cancellationToken)).GetValueOrDefault(localKey);

    public async Task<LedgerState?> LoadStateAsync(long profileId, long itemId, CancellationToken cancellationToken) =>
        (await LoadStatesAsync(profileId, [itemId], cancellationToken)).GetValueOrDefault(itemId);

    public async Task CommitAsync(LedgerCommit commit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        long lastEvent = 0;
        if (commit.Events.Count > 0)
        {
            lastEvent = await db.ExecuteScalarAsync<long>(Command("SELECT COALESCE(MAX(id), 0) FROM events", cancellationToken, transaction));
            await ExecuteRowsAsync(
                db,
                transaction,
                """
                INSERT INTO events (profile_id, item_id, feature, value, occurred_at, observed_at, connection_id, account_id, origin, run_id)
                VALUES (@ProfileId, @ItemId, @Feature, @Value, @OccurredAt, @ObservedAt, @ConnectionId, @AccountId, @Origin, @RunId)
                """,
                ["ProfileId", "ItemId", "Feature", "Value", "OccurredAt", "ObservedAt", "ConnectionId", "AccountId", "Origin", "RunId"],
                commit.Events,
                (e, v) =>
                {
                    v[0] = e.ProfileId;
                    v[1] = e.ItemId;
                    v[2] = e.Feature;
                    v[3] = e.Value;
                    v[4] = Ms(e.OccurredAt);
                    v[5] = Ms(e.ObservedAt);
                    v[6] = e.ConnectionId;
                    v[7] = e.AccountId;
                    v[8] = e.Origin;
                    v[9] = e.RunId;
                },
                cancellationToken);
            lastEvent = await db.ExecuteScalarAsync<long>(Command("SELECT COALESCE(MAX(id), 0) FROM events", cancellationToken, transaction));
        }

        if (commit.States.Count > 0)
        {
            await ExecuteRowsAsync(
                db,
                transaction,
                """
                INSERT INTO state (profile_id, item_id, watched, watched_at, watched_connection_id, play_count, last_play_at, last_play_connection_id,
                                   rating, rated_at, rating_connection_id, progress_ms, progress_at, progress_connection_id, last_event_id)
                VALUES (@ProfileId, @ItemId, @Watched, @WatchedAt, @WatchedConnectionId, @PlayCount, @LastPlayAt, @LastPlayConnectionId,
                        @Rating, @RatedAt, @RatingConnectionId, @ProgressMs, @ProgressAt, @ProgressConnectionId, @LastEventId)
                ON CONFLICT (profile_id, item_id) DO UPDATE SET
                    watched = excluded.watched, watched_at = excluded.watched_at, watched_connection_id = excluded.watched_connection_id,
                    play_count = excluded.play_count, last_play_at = excluded.last_play_at, last_play_connection_id = excluded.last_play_connection_id,
                    rating = excluded.rating, rated_at = excluded.rated_at, rating_connection_id = excluded.rating_connection_id,
                    progress_ms = excluded.progress_ms, progress_at = excluded.progress_at, progress_connection_id = excluded.progress_connection_id,
                    last_event_id = excluded.last_event_id
                """,
                ["ProfileId", "ItemId", "Watched", "WatchedAt", "WatchedConnectionId", "PlayCount", "LastPlayAt", "LastPlayConnectionId", "Rating", "RatedAt", "RatingConnectionId", "ProgressMs", "ProgressAt", "ProgressConnectionId", "LastEventId"],
                commit.States,
                (p, v) =>
                {
                    v[0] = p.Key.ProfileId;
                    v[1] = p.Key.ItemId;
                    v[2] = p.Value.Watched ? 1 : 0;
                    v[3] = OptMs(p.Value.WatchedAt);
                    v[4] = p.Value.WatchedConnectionId;
                    v[5] = p.Value.PlayCount;
                    v[6] = OptMs(p.Value.LastPlayAt);
                    v[7] = p.Value.LastPlayConnectionId;
                    v[8] = p.Value.Rating;
                    v[9] = OptMs(p.Value.RatedAt);
                    v[10] = p.Value.RatingConnectionId;
                    v[11] = p.Value.ProgressMs;
                    v[12] = OptMs(p.Value.ProgressAt);
                    v[13] = p.Value.ProgressConnectionId;
                    v[14] = lastEvent == 0 ? p.Value.LastEventId : lastEvent;
                },
                cancellationToken);
        }

        if (!commit.Baselines.TryGetNonEnumeratedCount(out var baselines) || baselines > 0)
        {
            await ExecuteRowsAsync(
                db,
                transaction,
                """
                INSERT INTO observed_state (account_id, local_key, watched, view_count, last_viewed_at, rating, rated_at, progress_ms, observed_at, confirmed)
                VALUES (@AccountId, @LocalKey, @Watched, @ViewCount, @LastViewedAt, @Rating, @RatedAt, @ProgressMs, @ObservedAt, @Confirmed)
                ON CONFLICT (account_id, local_key) DO UPDATE SET
                    watched = excluded.watched, view_count = excluded.view_count, last_viewed_at = excluded.last_viewed_at, rating = excluded.rating,
                    rated_at = excluded.rated_at, progress_ms = excluded.progress_ms, observed_at = excluded.observed_at, confirmed = excluded.confirmed
                """,
                ["AccountId", "LocalKey", "Watched", "ViewCount", "LastViewedAt", "Rating", "RatedAt", "ProgressMs", "ObservedAt", "Confirmed"],
                commit.Baselines,
                (b, v) =>
                {
                    v[0] = b.AccountId;
                    v[1] = b.LocalKey;
                    v[2] = b.State.Watched ? 1 : 0;
                    v[3] = b.State.ViewCount;
                    v[4] = OptMs(b.State.LastViewedAt);
                    v[5] = b.State.Rating;
                    v[6] = OptMs(b.State.RatedAt);
                    v[7] = b.State.ProgressMs;
                    v[8] = Ms(b.State.ObservedAt);
                    v[9] = ConfirmedJson.Format(b.State.Confirmed);
                },
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LedgerEvent>> HistoryAsync(long profileId, long? itemId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<EventDbRow>(Command(
            "SELECT * FROM events WHERE profile_id = @profileId AND (@itemId IS NULL OR item_id = @itemId) ORDER BY occurred_at DESC, id DESC LIMIT @limit",
            new { profileId, itemId, limit },
            cancellationToken));
        return rows.Select(r => new LedgerEvent(r.Id, r.ProfileId, r.ItemId, r.Feature, r.Value, Time(r.OccurredAt), Time(r.ObservedAt), r.ConnectionId, r.AccountId, r.Origin, r.RunId)).ToList();
    }

    public async Task<int> DeleteProfileDataAsync(long profileId, bool history, bool state, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var deleted = 0;
        if (history)
        {
            deleted += await db.ExecuteAsync(Command("DELETE FROM events WHERE profile_id = @profileId", new { profileId }, cancellationToken, transaction));
        }

        if (state)
        {
            deleted += await db.ExecuteAsync(Command("DELETE FROM state WHERE profile_id = @profileId", new { profileId }, cancellationToken, transaction));
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static DateTimeOffset? Opt(long? ms) => ms is { } v ? Time(v) : null;

    private static long? OptMs(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    /// <summary>The read state kept beside a baseline Marquee set after a write, until a read shows the write.</summary>
    private static class ConfirmedJson
    {
        public static string? Format(ObservedState? state) => state is null ? null : System.Text.Json.JsonSerializer.Serialize(
            new Row(state.ViewCount, OptMs(state.LastViewedAt), state.Rating, OptMs(state.RatedAt), state.ProgressMs, Ms(state.ObservedAt)));

        public static ObservedState? Parse(string? json)
        {
            if (json is null || System.Text.Json.JsonSerializer.Deserialize<Row>(json) is not { } r)
            {
                return null;
            }

            return new ObservedState(r.V, Opt(r.W), r.R, Opt(r.Ra), r.P, Time(r.O));
        }

        private sealed record Row(int V, long? W, double? R, long? Ra, long? P, long O);
    }

    private sealed class EventDbRow
    {
        public long Id { get; set; }

        public long ProfileId { get; set; }

        public long ItemId { get; set; }

        public string Feature { get; set; } = string.Empty;

        public string? Value { get; set; }

        public long OccurredAt { get; set; }

        public long ObservedAt { get; set; }

        public long? ConnectionId { get; set; }

        public long? AccountId { get; set; }

        public string Origin { get; set; } = string.Empty;

        public long? RunId { get; set; }
    }
}
