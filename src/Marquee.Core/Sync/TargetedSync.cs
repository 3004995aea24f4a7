using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>One item of one connection that a live event names, with the account that acted.</summary>
/// <param name="ConnectionId">The connection the event came from.</param>
/// <param name="AccountId">The acting account as the server names it: its external id, <see cref="OwnerAccount"/> or <see cref="AnyAccount"/>.</param>
/// <param name="LocalKey">The item's key on that connection.</param>
/// <param name="Origin">The path that saw it (webhook, event-stream, poll), kept on the ledger events.</param>
/// <param name="ItemAdded">True when the item was just added (nothing changed on it; its counterpart's state may be owed to it).</param>
public sealed record TargetedItem(long ConnectionId, string AccountId, string LocalKey, string Origin, bool ItemAdded = false)
{
    /// <summary>The account id of events that belong to no account (an item was added): every profile of the flow.</summary>
    public const string AnyAccount = "*";

    /// <summary>The server owner's local account id (Plex names its owner 1 in sessions and webhooks).</summary>
    public const string OwnerAccount = "1";
}

/// <summary>What a targeted run did.</summary>
public static class TargetedOutcome
{
    /// <summary>The item was planned (and written where the plan asked for it).</summary>
    public const string Propagated = "propagated";

    /// <summary>The item shows what Marquee last wrote to it: the event is Marquee's own write coming back, and travels no further.</summary>
    public const string Echo = "echo";

    /// <summary>The item shows nothing new against its last observation.</summary>
    public const string Unchanged = "unchanged";

    /// <summary>The item could not be targeted; the caller runs the flow incrementally instead.</summary>
    public const string Fallback = "fallback";
}

/// <summary>The outcome of a targeted run, its report when a run was journaled, and why it fell back or did nothing.</summary>
public sealed record TargetedResult(string Outcome, SyncReport? Report, string? Reason)
{
    public bool FellBack => Outcome == TargetedOutcome.Fallback;
}

/// <summary>
/// Plans and writes one item of a flow for a live event: reads that item on the event's side (and its counterpart on the
/// other side, by the stored identity), appends what changed to the ledger and runs the same planner, guards, executor
/// and journal as a full run, so every rule of DESIGN.md section 4 holds. No listing is read. When the item cannot be
/// targeted (the flow has not finished a run, the account maps to no profile, the item does not resolve, the flow
/// filters libraries) the result says so and the caller runs the flow incrementally.
/// </summary>
public sealed class TargetedSync(
    ProviderFactory providers,
    RunSteps steps,
    ILedgerStore ledger,
    IIdentityStore identity,
    IRunStore runs,
    TimeProvider clock)
{
    /// <summary>How long after Marquee wrote an item an unchanged observation of it counts as that write's echo.</summary>
    public static readonly TimeSpan EchoWindow = TimeSpan.FromMinutes(30);

    private sealed record Read(SyncSide Side, Account Account, ProviderAccount Provided, string LocalKey, SourceItemState Item);

    private sealed record Target(ProfilePair Pair, Read Event, IReadOnlyList<long> ItemIds, IdentityResolver Resolver, IdentitySnapshot Snapshot);

    public async Task<TargetedResult> RunAsync(Flow flow, TargetedItem item, CancellationToken cancellationToken)
    {
        if (item.ConnectionId != flow.SourceConnectionId && item.ConnectionId != flow.TargetConnectionId)
        {
            return Fallback($"flow {flow.Name} does not read connection {item.ConnectionId}");
        }

        if (flow.Filters.Libraries.Count > 0)
        {
            return Fallback($"flow {flow.Name} filters libraries, which a single item read cannot check");
        }

        if (!await runs.HasCompletedRunAsync(flow.Id, cancellationToken))
        {
            // The flow's first run lists both sides (and never removes); a single item is no first run.
            return Fallback($"flow {flow.Name} has not finished a run yet");
        }

        var source = await providers.CreateAsync(flow.SourceConnectionId, cancellationToken);
        var target = await providers.CreateAsync(flow.TargetConnectionId, cancellationToken);
        if (!source.Capabilities.CanReadWatchState || !target.Capabilities.CanReadWatchState || !target.Capabilities.CanWriteWatchState)
        {
            return Fallback("a side of the flow cannot read or write single items");
        }

        var eventSide = item.ConnectionId == source.Connection.Id ? source : target;
        List<ProfilePair> Acting(IReadOnlyList<ProfilePair> all) => RunSteps.Selected(flow, all)
            .Where(p => p.SourceAccount.CanAct && p.TargetAccount.CanAct)
            .Where(p => Acts(eventSide == source ? p.Source : p.Target, eventSide == source ? p.SourceAccount : p.TargetAccount, item.AccountId))
            .ToList();

        // The accounts as listed a few minutes ago, asked again when the acting one is not among them (shared just now).
        var pairs = Acting(await steps.MapAsync(source, target, fresh: false, cancellationToken));
        if (pairs.Count == 0)
        {
            pairs = Acting(await steps.MapAsync(source, target, fresh: true, cancellationToken));
        }

        if (pairs.Count == 0)
        {
            return Fallback($"account {item.AccountId} of {eventSide.Connection.Name} belongs to no profile of flow {flow.Name}");
        }

        // Read and match the item for every profile first: nothing is stored when one of them cannot be targeted.
        var targets = new List<Target>();
        foreach (var pair in pairs)
        {
            var (account, provided) = eventSide == source ? (pair.Source, pair.SourceAccount) : (pair.Target, pair.TargetAccount);
            var read = await eventSide.Source.ReadItemAsync(provided, item.LocalKey, cancellationToken);
            if (read is null)
            {
                return Fallback($"item {item.LocalKey} is not on {eventSide.Connection.Name} for {pair.ProfileName}");
            }

            var snapshot = await identity.LoadForAsync(eventSide.Connection.Id, item.LocalKey, read.Item.Ids.Concat(read.Item.ShowIds).ToList(), cancellationToken);
            var resolver = new IdentityResolver(snapshot);
            var resolution = resolver.Resolve(read.Item, flow.Filters);
            if (!resolution.Resolved)
            {
                return Fallback($"item {item.LocalKey} on {eventSide.Connection.Name} is unresolved: {resolution.Reason}");
            }

            if (read.Item.Kind == MediaKind.Movie && (read.Item.Edition is not null || resolution.ItemIds.Any(id => HasCopies(resolver, snapshot, id))))
            {
                // Which copy stands for the movie, and which edition for which, only a listing of the copies can say.
                return Fallback($"item {item.LocalKey} on {eventSide.Connection.Name} is an edition or one of several copies of a movie");
            }

            targets.Add(new Target(pair, new Read(eventSide, account, provided, item.LocalKey, read), resolution.ItemIds, resolver, snapshot));
        }

        // Marquee's own write coming back: the item shows exactly what the last observation (set by the write) showed.
        if (!item.ItemAdded && await IsEchoAsync(targets, cancellationToken) is { } echo)
        {
            return new TargetedResult(TargetedOutcome.Echo, null, echo);
        }

        return await PlanAndWriteAsync(flow, item, source, target, targets, cancellationToken);
    }

    private static bool Acts(Account account, ProviderAccount provided, string accountId) =>
        accountId == TargetedItem.AnyAccount
        || (accountId == TargetedItem.OwnerAccount && account.Kind == Account.KindOwner)
        || accountId == provided.ExternalId
        || accountId == account.ExternalId;

    /// <summary>True when a movie has editions of its own in the ledger, or more than one local key on a connection.</summary>
    private static bool HasCopies(IdentityResolver resolver, IdentitySnapshot snapshot, long itemId) =>
        resolver.EditionsOf(itemId).Count > 0
        || snapshot.SourceItems.Where(s => s.ItemId == itemId).GroupBy(s => s.ConnectionId).Any(g => g.Count() > 1);

    private static TargetedResult Fallback(string reason) => new(TargetedOutcome.Fallback, null, reason);

    private async Task<string?> IsEchoAsync(List<Target> targets, CancellationToken cancellationToken)
    {
        string? echo = null;
        foreach (var target in targets)
        {
            var read = target.Event;
            var baseline = await ledger.LoadBaselineAsync(read.Account.Id, read.LocalKey, cancellationToken);
            if (baseline is null || Ledger.Observe(Ledger.Against(baseline, read.Item.State, steps.Rules), read.Item.State, read.Item.Item.DurationMs, clock.GetUtcNow(), steps.Rules).Count > 0)
            {
                return null;
            }

            var written = await runs.FindLastWriteAsync(read.Side.Connection.Id, read.Account.Id, read.LocalKey, cancellationToken);
            if (written?.WrittenAt is not { } at || clock.GetUtcNow() - at > EchoWindow)
            {
                return null;
            }

            echo = $"{read.Side.Connection.Name} item {read.LocalKey} shows what run {written.RunId} wrote ({written.Action})";
        }

        return echo;
    }

    private async Task<TargetedResult> PlanAndWriteAsync(Flow flow, TargetedItem item, SyncSide source, SyncSide target, List<Target> targets, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var optionsJson = JsonSerializer.Serialize(new { connection = item.ConnectionId, account = item.AccountId, item = item.LocalKey, origin = item.Origin, itemAdded = item.ItemAdded });
        var runId = await runs.StartAsync(flow.Id, flow.Name, "live", optionsJson, started, cancellationToken);
        var plan = new List<PlannedWrite>();
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        var accounts = new Dictionary<long, ProviderAccount>();
        string status;
        string? message = null;
        var changed = false;
        try
        {
            foreach (var t in targets)
            {
                var read = t.Event;
                var realIds = await identity.SaveAsync(
                    new IdentityChanges(
                        t.Resolver.NewItems,
                        t.Resolver.NewIds,
                        t.ItemIds.Select(id => (read.Side.Connection.Id, read.LocalKey, id, read.Item.Item.Kind.Name(), read.Item.Item.RawId, read.Item.Item.PartKey, read.Item.Item.Library)).ToList(),
                        clock.GetUtcNow()),
                    cancellationToken);
                accounts[t.Pair.Source.Id] = t.Pair.SourceAccount;
                accounts[t.Pair.Target.Id] = t.Pair.TargetAccount;
                foreach (var itemId in t.ItemIds.Select(id => realIds.TryGetValue(id, out var real) ? real : id))
                {
                    var (writes, observed) = await PlanItemAsync(flow, item, runId, source, target, t, itemId, cancellationToken);
                    plan.AddRange(writes);
                    changed |= observed;
                }
            }

            // The mass-change guard by count; a single item is no share of a target worth measuring.
            if (RunSteps.Guard(flow, plan, targetSize: null) is { } held)
            {
                status = RunStatus.Held;
                message = held;
            }
            else
            {
                var sides = new Dictionary<long, SyncSide> { [source.Connection.Id] = source, [target.Connection.Id] = target };
                status = await steps.ExecuteAsync(runId, plan, sides, accounts, outcomes, null, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is ProviderException or InvalidOperationException)
        {
            status = RunStatus.Failed;
            message = ex.Message;
        }

        var report = await steps.FinishAsync(flow, runId, "live", started, status, message, plan, outcomes, [], [source, target]);
        return new TargetedResult(changed || plan.Count > 0 || item.ItemAdded ? TargetedOutcome.Propagated : TargetedOutcome.Unchanged, report, message);
    }

    /// <summary>Observes one ledger item on both sides, folds what changed into its state and plans the sides the flow writes.</summary>
    private async Task<(IReadOnlyList<PlannedWrite> Writes, bool Changed)> PlanItemAsync(
        Flow flow, TargetedItem item, long runId, SyncSide source, SyncSide target, Target t, long itemId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reads = new List<Read> { t.Event };
        var other = t.Event.Side == source ? target : source;
        var (otherAccount, otherProvided) = other == source ? (t.Pair.Source, t.Pair.SourceAccount) : (t.Pair.Target, t.Pair.TargetAccount);
        var otherKey = t.Snapshot.SourceItems.Where(s => s.ConnectionId == other.Connection.Id && s.ItemId == itemId).Select(s => s.LocalKey).Order(StringComparer.Ordinal).FirstOrDefault();

        // A catalogue side (Trakt) holds every title: an item it never listed is named there by its ids.
        otherKey ??= other.Provider is ICatalogTarget catalog ? catalog.KeyFor(t.Event.Item.Item) : null;
        if (otherKey is not null && await other.Source.ReadItemAsync(otherProvided, otherKey, cancellationToken) is { } otherRead)
        {
            reads.Add(new Read(other, otherAccount, otherProvided, otherKey, otherRead));
        }

        var events = new List<LedgerEvent>();
        var baselines = new List<BaselineRow>();
        foreach (var read in reads)
        {
            var origin = read == t.Event ? item.Origin : EventOrigin.Poll;
            var observed = new ObservedRead(t.Pair.ProfileId, itemId, read.Side.Connection.Id, read.Account.Id, read.LocalKey, read.Item.State, read.Item.Item.DurationMs, origin);
            steps.Observe(observed, await ledger.LoadBaselineAsync(read.Account.Id, read.LocalKey, cancellationToken), now, runId, events, baselines);
        }

        var stored = await ledger.LoadStateAsync(t.Pair.ProfileId, itemId, cancellationToken);
        var changed = RunSteps.Fold(flow, events, _ => stored);
        var state = changed.GetValueOrDefault((t.Pair.ProfileId, itemId)) ?? stored ?? LedgerState.Empty;
        await ledger.CommitAsync(new LedgerCommit(events, changed, baselines), cancellationToken);

        var writes = new List<PlannedWrite>();
        foreach (var read in reads.Where(r => r.Side == target || flow.TwoWay))
        {
            var title = read.Item.Item.Title ?? t.Event.Item.Item.Title;
            var duration = read.Item.Item.DurationMs ?? t.Event.Item.Item.DurationMs;
            var planned = steps.Plan(flow, firstRun: false, t.Pair.ProfileId, read.Side, read.Account.Id, [new PlanItem(itemId, read.LocalKey, title, duration, state, read.Item.State)]);

            // One item holding several episodes shows them all watched: a single episode's event cannot say they agree.
            writes.AddRange(planned.Select(w => read.Item.Item.WatchedWithPart && w.Feature == FlowFeature.Watched && w.SkipReason is null ? w with { SkipReason = SyncExecutor.SharedPartReason } : w));
        }

        return (writes, events.Count > 0);
    }
}
