using System.Collections.Concurrent;
using System.Globalization;
using Marquee.Core.Flows;
using Marquee.Core.Providers;
using Marquee.Core.Validation;

namespace Marquee.Core.Sync;

/// <summary>
/// The steps every run of a flow shares, whether it reads whole listings (full), what changed (incremental) or one item
/// (targeted, for a live event): map the accounts to profiles, observe reads against their baselines, fold the changes
/// into the ledger states, plan each side, hold on the mass-change guard, write, and journal the run. Each kind of run
/// only decides what to read.
/// </summary>
public sealed class RunSteps(ProfileMapper mapper, IRunStore runs, SyncExecutor executor, SyncRules rules, AccountListings listings, Notifications.MarqueeEvents events, TimeProvider clock)
{
    public SyncRules Rules => rules;

    /// <summary>
    /// The profiles of the flow's two sides, every one of them (reconciling an earlier run needs them all). A run that
    /// reads listings asks both directories (<paramref name="fresh"/>); a targeted run may take a listing of the last
    /// few minutes, so that a scrobble does not ask plex.tv for every account of both servers.
    /// </summary>
    public async Task<IReadOnlyList<ProfilePair>> MapAsync(SyncSide source, SyncSide target, bool fresh, CancellationToken cancellationToken) =>
        await mapper.MapAsync(
            source.Connection.Id,
            await listings.ListAsync(source, fresh, cancellationToken),
            target.Connection.Id,
            await listings.ListAsync(target, fresh, cancellationToken),
            cancellationToken);

    /// <summary>
    /// The flow as one run narrowed by <see cref="SyncOptions.Libraries"/> and <see cref="SyncOptions.Profiles"/> sees it.
    /// A run can narrow the flow's own filters, never widen them: a library or profile outside them is refused.
    /// </summary>
    public static Flow Narrow(Flow flow, SyncOptions options)
    {
        var libraries = Within(flow.Name, flow.Filters.Libraries, options.Libraries, "libraries");
        var profiles = Within(flow.Name, flow.Filters.Profiles, options.Profiles, "profiles");
        return libraries is null && profiles is null
            ? flow
            : flow with { Filters = flow.Filters with { Libraries = libraries ?? flow.Filters.Libraries, Profiles = profiles ?? flow.Filters.Profiles } };
    }

    /// <summary>The pairs the flow's profile filter selects.</summary>
    public static IReadOnlyList<ProfilePair> Selected(Flow flow, IReadOnlyList<ProfilePair> pairs) =>
        flow.Filters.Profiles.Count == 0 ? pairs : pairs.Where(p => flow.Filters.Profiles.Contains(p.ProfileName, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>Observes one read of one item against its baseline: what changed becomes ledger events, a new observation a baseline row.</summary>
    public void Observe(ObservedRead read, ObservedState? baseline, DateTimeOffset now, long runId, List<LedgerEvent> events, List<BaselineRow>? rows)
    {
        foreach (var change in Ledger.Observe(Ledger.Against(baseline, read.State, rules), read.State, read.DurationMs, now, rules))
        {
            events.Add(new LedgerEvent(0, read.ProfileId, read.ItemId, change.Feature, change.Value, change.OccurredAt, now, read.ConnectionId, read.AccountId, read.Origin, runId));
        }

        if (rows is not null && NewBaseline(read.AccountId, read.LocalKey, read.State, baseline, now) is { } row)
        {
            rows.Add(row);
        }
    }

    /// <summary>The baseline an observation leaves for the account's item: what it read, unless the stored baseline already says so (null).</summary>
    public static BaselineRow? NewBaseline(long accountId, string localKey, WatchState state, ObservedState? baseline, DateTimeOffset now) =>
        baseline is null || !Ledger.SameBaseline(baseline, state) ? new BaselineRow(accountId, localKey, Ledger.Baseline(state, now)) : null;

    /// <summary>Folds events into the states, oldest first and the flow's source last at equal times; returns the states that changed.</summary>
    public static Dictionary<(long ProfileId, long ItemId), LedgerState> Fold(Flow flow, IEnumerable<LedgerEvent> events, Func<LedgerEvent, LedgerState?> current, Action<LedgerEvent, LedgerState>? folded = null)
    {
        var changed = new Dictionary<(long, long), LedgerState>();
        foreach (var e in events.OrderBy(e => e.OccurredAt).ThenBy(e => e.ConnectionId == flow.SourceConnectionId ? 1 : 0))
        {
            var next = Ledger.Apply(changed.GetValueOrDefault((e.ProfileId, e.ItemId)) ?? current(e) ?? LedgerState.Empty, e, flow.SourceConnectionId);
            changed[(e.ProfileId, e.ItemId)] = next;
            folded?.Invoke(e, next);
        }

        return changed;
    }

    /// <summary>Plans the writes to one side of the flow, for the features the flow syncs and that side can write.</summary>
    public IReadOnlyList<PlannedWrite> Plan(Flow flow, bool firstRun, long profileId, SyncSide side, long accountId, IReadOnlyList<PlanItem> items)
    {
        var features = flow.Features.Where(f => side.Capabilities.Features.Contains(f)).ToList();
        var context = new PlanContext(flow.Id, flow.SourceConnectionId, features, flow.Mode == FlowMode.Mirror, firstRun, profileId, side.Connection.Id, side.Connection.Name, accountId);
        var planned = new SyncPlanner(rules).Plan(context, items);

        // A resume point the side would not keep (Trakt: outside 1 % to under 80 %) is skipped with the side's reason.
        return side.Provider is IProgressRange range
            ? [.. planned.Select(w => w.Action == WriteAction.SetProgress && w.SkipReason is null && range.Refuses(w.LocalKey, w.After.ProgressMs ?? 0, w.After.DurationMs) is { } refused
                ? w with { SkipReason = refused }
                : w)]
            : planned;
    }

    /// <summary>
    /// The mass-change guard (rule 7): the message that holds the plan, or null. <paramref name="targetSize"/> is the size
    /// of the listing the share is measured against; a targeted run, which reads no listing, is held by the count only.
    /// </summary>
    public static string? Guard(Flow flow, IReadOnlyList<PlannedWrite> plan, int? targetSize)
    {
        var removals = plan.Count(w => w.IsRemoval && w.SkipReason is null);
        if (!Holds(flow.Guards, removals, targetSize ?? int.MaxValue))
        {
            return null;
        }

        return targetSize is { } size
            ? $"held: the plan would remove {removals} watched marks, ratings or watchlist entries, over the guard ({flow.Guards.MaxRemovals} items or {flow.Guards.MaxRemovalPercent.ToString(CultureInfo.InvariantCulture)} % of {size}); check the plan and rerun with --force to apply it"
            : $"held: the plan would remove {removals} watched marks, ratings or watchlist entries, over the guard ({flow.Guards.MaxRemovals} items)";
    }

    /// <summary>The mass-change guard (rule 7): more removals than the count limit, or than the share of the target, hold the run.</summary>
    public static bool Holds(FlowGuards guards, int removals, int targetSize) =>
        removals > 0 && (removals > guards.MaxRemovals || removals > guards.MaxRemovalPercent / 100.0 * targetSize);

    /// <summary>Writes the plan's unskipped writes through the journal; the run's status follows from their outcomes.</summary>
    public async Task<string> ExecuteAsync(long runId, IReadOnlyList<PlannedWrite> plan, Dictionary<long, SyncSide> sides, Dictionary<long, ProviderAccount> accounts, Dictionary<string, string> outcomes, IProgress<string>? progress, CancellationToken cancellationToken, bool retryNotTaken = false)
    {
        foreach (var (key, outcome) in await executor.ExecuteAsync(runId, plan.Where(w => w.SkipReason is null).ToList(), sides, accounts, progress, cancellationToken, retryNotTaken))
        {
            outcomes[key] = outcome;
        }

        return outcomes.Values.Any(o => o.StartsWith(WriteStatus.Failed, StringComparison.Ordinal)) ? RunStatus.Failed
            : outcomes.Values.Any(o => o.StartsWith(WriteStatus.NotTaken, StringComparison.Ordinal)) ? RunStatus.DoneWithWarnings
            : RunStatus.Done;
    }

    /// <summary>Journals the end of a run: skipped writes with their reasons, the tally per feature and the requests per connection and endpoint.</summary>
    public async Task<SyncReport> FinishAsync(Flow flow, long runId, string trigger, DateTimeOffset started, string status, string? message, IReadOnlyList<PlannedWrite> plan, Dictionary<string, string> outcomes, IReadOnlyList<UnresolvedItem> unresolved, IEnumerable<SyncSide?> sides)
    {
        foreach (var write in plan.Where(w => w.SkipReason is not null))
        {
            outcomes[write.IdempotencyKey] = WriteStatus.Skipped + ": " + write.SkipReason;
        }

        string Outcome(PlannedWrite w) => outcomes.TryGetValue(w.IdempotencyKey, out var o) ? o.Split(':')[0] : string.Empty;
        var notTaken = plan.Where(w => Outcome(w) == WriteStatus.NotTaken).ToList();
        if (notTaken.Count > 0)
        {
            var named = string.Join(", ", notTaken.Take(5).Select(w => $"{w.Action} {w.Title ?? w.LocalKey} on {w.ConnectionName}"));
            message = (message is null ? string.Empty : message + "; ")
                + $"{notTaken.Count} write(s) not taken: the server acknowledged them but reads do not show them ({named}{(notTaken.Count > 5 ? ", …" : string.Empty)}); a forced run sends them again";
        }

        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var side in sides.OfType<SyncSide>())
        {
            foreach (var (endpoint, count) in side.Requests.Snapshot())
            {
                requests[$"{side.Connection.Name} {endpoint}"] = count;
            }
        }

        var features = plan.GroupBy(w => w.Feature).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new FeatureSummary(
            g.Key,
            g.Count(w => w.SkipReason is null),
            g.Count(w => Outcome(w) == WriteStatus.Written),
            g.Count(w => Outcome(w) is WriteStatus.Skipped or WriteStatus.NotTaken),
            g.Count(w => Outcome(w) == WriteStatus.Failed))).ToList();
        var run = new SyncRun(
            runId,
            flow.Id,
            flow.Name,
            trigger,
            status,
            started,
            clock.GetUtcNow(),
            features.Sum(f => f.Planned),
            features.Sum(f => f.Written),
            features.Sum(f => f.Skipped),
            features.Sum(f => f.Failed),
            unresolved.Count,
            requests,
            message);
        await runs.FinishAsync(run, CancellationToken.None);
        if (status != RunStatus.DryRun)
        {
            await events.RunFinishedAsync(run, unresolved, CancellationToken.None);
        }

        return new SyncReport(run, plan, outcomes, features, unresolved);
    }

    private static List<string>? Within(string flow, IReadOnlyList<string> own, IReadOnlyList<string>? asked, string field)
    {
        if (asked is not { Count: > 0 })
        {
            return null;
        }

        var problems = new List<FieldProblem>();
        foreach (var name in asked)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
            {
                problems.Add(new FieldProblem(field, $"Each of '{field}' is a name of 1-200 characters."));
            }
            else if (own.Count > 0 && !own.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new FieldProblem(field, $"The flow '{flow}' syncs only the {field} {string.Join(", ", own)}; '{name.Trim()}' is not one of them."));
            }
        }

        return problems.Count > 0 ? throw new ValidationException(problems) : [.. asked.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}

/// <summary>One item as one account of one side shows it, to observe against its baseline.</summary>
public readonly record struct ObservedRead(long ProfileId, long ItemId, long ConnectionId, long AccountId, string LocalKey, WatchState State, long? DurationMs, string Origin);

/// <summary>
/// The accounts each connection's directory listed last. Runs that read listings always ask the directory again (and
/// keep the answer); a targeted run takes an answer younger than <see cref="MaxAge"/> from the same connection settings,
/// and asks again when the acting account is not in it (a user shared a moment ago).
/// </summary>
public sealed class AccountListings(TimeProvider clock)
{
    /// <summary>How long a listing stands in for asking again, for targeted runs.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<long, (DateTimeOffset UpdatedAt, DateTimeOffset ListedAt, IReadOnlyList<ProviderAccount> Accounts)> _listed = new();

    public async Task<IReadOnlyList<ProviderAccount>> ListAsync(SyncSide side, bool fresh, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!fresh && _listed.TryGetValue(side.Connection.Id, out var last) && last.UpdatedAt == side.Connection.UpdatedAt && now - last.ListedAt < MaxAge)
        {
            return last.Accounts;
        }

        var accounts = await side.Directory.ListAccountsAsync(cancellationToken);
        if (accounts.All(a => a.Reason is null))
        {
            // A listing with a reason (plex.tv down, an account without a token) is not kept: the next run asks again.
            _listed[side.Connection.Id] = (side.Connection.UpdatedAt, now, accounts);
        }
        else
        {
            _listed.TryRemove(side.Connection.Id, out _);
        }

        return accounts;
    }
}
