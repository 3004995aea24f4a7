using Marquee.Core.Items;

namespace Marquee.Core.Sync;

/// <summary>
/// The string a run already holds equal to <paramref name="localKey"/> (a known key of the account's connection), or
/// <paramref name="localKey"/> itself: a full run reads an account's every baseline while it holds the known key of every
/// item, and the baselines keep the one string instead of an equal one of their own.
/// </summary>
public delegate string KeyShare(string localKey);

/// <summary>A baseline to store: what one account showed for one local key.</summary>
public readonly record struct BaselineRow(long AccountId, string LocalKey, ObservedState State);

/// <summary>
/// Everything one observation changes, stored in one transaction: new events, the states they lead to, and the new
/// baselines (walked once, as they are written: a full run makes them from its entries one at a time).
/// </summary>
public sealed record LedgerCommit(
    IReadOnlyList<LedgerEvent> Events,
    IReadOnlyDictionary<(long ProfileId, long ItemId), LedgerState> States,
    IEnumerable<BaselineRow> Baselines);

public interface ILedgerStore
{
    /// <summary>
    /// Loads every baseline of the account. With <paramref name="share"/>, each key is kept as the string it gives.
    /// </summary>
    Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, KeyShare? share, CancellationToken cancellationToken);

    /// <summary>Loads the account's baselines of these local keys only (an incremental run's listing).</summary>
    Task<IReadOnlyDictionary<string, ObservedState>> LoadBaselinesAsync(long accountId, IReadOnlyCollection<string> localKeys, CancellationToken cancellationToken);

    /// <summary>Returns true when the account has any baseline (it was observed before).</summary>
    Task<bool> HasBaselinesAsync(long accountId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, CancellationToken cancellationToken);

    /// <summary>Loads the profile's states of these items only.</summary>
    Task<IReadOnlyDictionary<long, LedgerState>> LoadStatesAsync(long profileId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken);

    /// <summary>One account's baseline of one local key, for plans of a single item; stores override the listing-wide default.</summary>
    async Task<ObservedState?> LoadBaselineAsync(long accountId, string localKey, CancellationToken cancellationToken) =>
        (await LoadBaselinesAsync(accountId, share: null, cancellationToken)).GetValueOrDefault(localKey);

    /// <summary>One profile's state of one item, for plans of a single item; stores override the profile-wide default.</summary>
    async Task<LedgerState?> LoadStateAsync(long profileId, long itemId, CancellationToken cancellationToken) =>
        (await LoadStatesAsync(profileId, cancellationToken)).GetValueOrDefault(itemId);

    Task CommitAsync(LedgerCommit commit, CancellationToken cancellationToken);

    Task<IReadOnlyList<LedgerEvent>> HistoryAsync(long profileId, long? itemId, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes a profile's events and/or derived state (privacy); returns the rows deleted.</summary>
    Task<int> DeleteProfileDataAsync(long profileId, bool history, bool state, CancellationToken cancellationToken);
}

/// <summary>
/// The ids, items and local keys known so far, loaded once per run and matched in memory. Each local key comes with the
/// fingerprint of what its link was stored with (<see cref="LinkFingerprint"/>; <see cref="LinkFingerprint.None"/> for a
/// link stored before fingerprints were kept).
/// </summary>
public sealed record IdentitySnapshot(
    IReadOnlyList<LedgerItem> Items,
    IReadOnlyList<(ExternalId Id, long ItemId)> Ids,
    IReadOnlyList<(long ConnectionId, string LocalKey, long ItemId, long Fingerprint)> SourceItems);

/// <summary>
/// New items (negative temporary ids), new ids and local keys to store. The local keys are walked once, as they are
/// stored: a full run's first profile names every listed item, so they are made while stored rather than held in a list.
/// </summary>
public sealed record IdentityChanges(
    IReadOnlyList<LedgerItem> NewItems,
    IReadOnlyList<(ExternalId Id, long ItemId)> NewIds,
    IEnumerable<(long ConnectionId, string LocalKey, long ItemId, string Kind, string? Guid, string? PartKey, string? Library)> SourceItems,
    DateTimeOffset Now);

public interface IIdentityStore
{
    Task<IdentitySnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Loads the part of the snapshot that matching these ids needs: the items they name, those items' children
    /// (episodes of a show), and the local keys of all of them.
    /// </summary>
    Task<IdentitySnapshot> LoadForAsync(IReadOnlyCollection<ExternalId> ids, CancellationToken cancellationToken);

    /// <summary>
    /// The part of the snapshot one listed item can match: the items named by <paramref name="ids"/> or by the local key, their
    /// episodes and every local key of those items. Stores override the default, which loads everything.
    /// </summary>
    Task<IdentitySnapshot> LoadForAsync(long connectionId, string localKey, IReadOnlyCollection<ExternalId> ids, CancellationToken cancellationToken) =>
        LoadAsync(cancellationToken);

    /// <summary>Stores the changes in one transaction; returns the real id of each new item by its temporary id.</summary>
    Task<IReadOnlyDictionary<long, long>> SaveAsync(IdentityChanges changes, CancellationToken cancellationToken);

    /// <summary>Replaces a connection's unresolved list with <paramref name="items"/>, keeping first-seen times and counting attempts.</summary>
    Task ReplaceUnresolvedAsync(long connectionId, IReadOnlyList<UnresolvedItem> items, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<UnresolvedItem>> ListUnresolvedAsync(CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<long, LedgerItem>> GetItemsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}

public interface IRunStore
{
    Task<long> StartAsync(long? flowId, string flowName, string trigger, string? options, DateTimeOffset now, CancellationToken cancellationToken);

    Task FinishAsync(SyncRun run, CancellationToken cancellationToken);

    Task<IReadOnlyList<SyncRun>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>A page of runs, newest first, older than run <paramref name="before"/> when given (the web UI's paged list).</summary>
    async Task<IReadOnlyList<SyncRun>> ListPageAsync(int limit, long? before, CancellationToken cancellationToken) =>
        before is null ? await ListAsync(limit, cancellationToken) : (await ListAsync(int.MaxValue, cancellationToken)).Where(r => r.Id < before).Take(limit).ToList();

    /// <summary>
    /// Starts the undo run of run <paramref name="runId"/> unless an undo of it is running or done already (checked and
    /// started in one statement, so two undos at once cannot both start); returns the new run, or the earlier undo.
    /// </summary>
    Task<UndoStart> StartUndoAsync(long runId, long? flowId, string flowName, DateTimeOffset now, CancellationToken cancellationToken);

    Task<SyncRun?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Returns true when the flow has finished a run before (so removals are allowed).</summary>
    Task<bool> HasCompletedRunAsync(long flowId, CancellationToken cancellationToken);

    /// <summary>Marks the flow's runs still "running" as interrupted (the process stopped mid-run); returns how many.</summary>
    Task<int> MarkInterruptedAsync(long flowId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<RunWrite?> FindWriteAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The journal rows of those of <paramref name="idempotencyKeys"/> that have one, by key: a run's whole plan looked up at once.</summary>
    Task<IReadOnlyDictionary<string, RunWrite>> FindWritesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken cancellationToken);

    /// <summary>Returns the flow's writes left "planned" by runs that ended without answering them (the process was killed).</summary>
    Task<IReadOnlyList<RunWrite>> ListUncertainWritesAsync(long flowId, CancellationToken cancellationToken);

    /// <summary>The newest write Marquee made to one item of one account (to recognise it coming back as a live event), or null.</summary>
    Task<RunWrite?> FindLastWriteAsync(long connectionId, long accountId, string localKey, CancellationToken cancellationToken);

    Task<long> InsertWriteAsync(RunWrite write, CancellationToken cancellationToken);

    /// <summary>Journals many writes in one transaction, each as <see cref="InsertWriteAsync"/> would; their ids, in order. Nothing is kept when one fails.</summary>
    Task<IReadOnlyList<long>> InsertWritesAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken);

    Task UpdateWriteAsync(long id, long runId, string status, string? after, string? error, DateTimeOffset? writtenAt, CancellationToken cancellationToken);

    /// <summary>Journals the outcomes of many writes in one transaction, each as <see cref="UpdateWriteAsync"/> would.</summary>
    Task UpdateWritesAsync(IReadOnlyList<WriteOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>Records how many times reads contradicted a write the server acknowledged (see <see cref="RunWrite.NotTaken"/>).</summary>
    Task SetNotTakenAsync(long id, int notTaken, CancellationToken cancellationToken);

    /// <summary>Hands an earlier run's unfinished journal row to run <paramref name="runId"/>, planned again with the before value that run read.</summary>
    Task ReplanWriteAsync(long id, long runId, string? before, string? after, CancellationToken cancellationToken);

    Task<IReadOnlyList<RunWrite>> ListWritesAsync(long runId, CancellationToken cancellationToken);
}

/// <summary>
/// Leases that keep one run per flow at a time across processes (the server and a CLI run beside it share the store).
/// A lease is taken in one statement, renewed while its run lasts and freed when it ends, or when it expires.
/// </summary>
public interface IFlowLeaseStore
{
    /// <summary>
    /// Takes the flow's lease for <paramref name="owner"/> unless another owner holds one that has not expired (or that
    /// owner is <paramref name="takeOverFrom"/>, known to be gone); returns true when taken.
    /// </summary>
    Task<bool> TryAcquireAsync(long flowId, string owner, string trigger, DateTimeOffset now, DateTimeOffset expiresAt, string? takeOverFrom, CancellationToken cancellationToken);

    /// <summary>Moves the expiry of <paramref name="owner"/>'s lease; returns false when the lease is no longer its own.</summary>
    Task<bool> RenewAsync(long flowId, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task ReleaseAsync(long flowId, string owner, CancellationToken cancellationToken);

    /// <summary>Who holds the flow's lease, or null when the flow is free.</summary>
    Task<FlowLeaseHolder?> HolderAsync(long flowId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The holder of a flow's lease: its owner (host, process id and start) and the trigger of its run.</summary>
public sealed record FlowLeaseHolder(string Owner, string Trigger);
