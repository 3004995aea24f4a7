using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>
/// Runs a flow: maps profiles, reads both sides in bulk, matches items, appends what changed to the ledger,
/// plans the writes each rule of DESIGN.md section 4 asks for, applies the guards and executes the plan.
/// </summary>
public sealed class SyncService(
    ProviderFactory providers,
    RunSteps steps,
    ILedgerStore ledger,
    IIdentityStore identity,
    IRunStore runs,
    SyncExecutor executor,
    Profiles.IProfileStore profiles,
    WatchlistSync watchlists,
    TimeProvider clock)
{
    /// <summary>
    /// A matched listed item with its own state, holding only what observing, planning and storing need of it (a full run
    /// holds one per item and side): its key, kind, title, length, edition and, while its link is not stored yet, its guid,
    /// file and library. <see cref="Item"/>, the item as listed with its ids, stays only when a side is a catalogue (Trakt),
    /// whose keys are made from the other side's ids. <see cref="Others"/> are the other copies of the same ledger item on
    /// the same side that keep a state of their own (each observed against its own baseline), and <see cref="Combined"/>
    /// is what the side shows of the item: a watch of any copy counts.
    /// </summary>
    private sealed record Listed
    {
        private readonly long _durationMs = Packed.None;

        /// <summary>What storing the entry's link needs (dropped once it is stored); null when it needs nothing.</summary>
        private LinkParts? _link;

        /// <summary>What few entries have (the item as listed, an edition, other copies); null for nearly all.</summary>
        private readonly RareParts? _rare;

        public Listed(SourceItem item, WatchState state, bool keepItem, bool linked, bool storedAsListed = false, string? localKey = null, string? title = null)
        {
            StoredAsListed = storedAsListed;
            LocalKey = localKey ?? item.LocalKey;
            Kind = item.Kind;
            Title = title ?? item.Title;
            DurationMs = item.DurationMs;
            WatchedWithPart = item.WatchedWithPart;
            _link = LinkParts.Of(linked && !item.WatchedWithPart ? null : item.PartKey, linked ? null : item.RawId, linked ? null : item.Library);
            _rare = RareParts.Of(keepItem ? item : null, item.Edition, []);
            State = state;
        }

        public string LocalKey { get; }

        public SourceItem? Item => _rare?.Item;

        public MediaKind Kind { get; }

        public string? Title { get; }

        public string? Edition => _rare?.Edition;

        public long? DurationMs { get => Packed.Long(_durationMs); init => _durationMs = Packed.Pack(value); }

        public bool WatchedWithPart { get; }

        /// <summary>Gets a value indicating whether the store holds this entry's links as listed (before the run): they are not stored again.</summary>
        public bool StoredAsListed { get; }

        public string? PartKey => _link?.PartKey;

        public string? RawId => _link?.RawId;

        public string? Library => _link?.Library;

        /// <summary>
        /// Lets go of what only storing the entry's link needed (its guid, library and, unless writes name it, its file)
        /// once the link is stored: a run's first profile links every listed item, and these are most of its strings.
        /// </summary>
        public void LinkStored() => _link = LinkParts.Of(WatchedWithPart ? PartKey : null, null, null);

        public WatchState State { get; init; }

        public IReadOnlyList<Listed> Others { get => _rare?.Others ?? []; init => _rare = RareParts.Of(Item, Edition, value); }

        public WatchState Combined => Others.Count == 0 ? State : Others.Aggregate(State, (state, other) => EditionFold.Copies(state, other.State));

        /// <summary>Gets this entry and its other copies, each on its own (an entry without other copies is its only copy).</summary>
        public CopyList Copies => new(this);

        /// <summary>
        /// An entry's copies, walked without a list or an enumerator object per entry: every listed item of a full run is
        /// walked this way several times (links, observation, keys), and nearly all have no other copy.
        /// </summary>
        public readonly struct CopyList(Listed lead) : IReadOnlyList<Listed>
        {
            public int Count => 1 + lead.Others.Count;

            public Listed this[int index] => index == 0
                ? (lead.Others.Count == 0 ? lead : lead with { Others = [] })
                : lead.Others[index - 1];

            public Enumerator GetEnumerator() => new(this);

            IEnumerator<Listed> IEnumerable<Listed>.GetEnumerator()
            {
                for (var i = 0; i < Count; i++)
                {
                    yield return this[i];
                }
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<Listed>)this).GetEnumerator();

            public struct Enumerator(CopyList list)
            {
                private int _index = -1;

                public readonly Listed Current => list[_index];

                public bool MoveNext() => ++_index < list.Count;
            }
        }
    }

    /// <summary>
    /// The parts of a listed entry that storing its link needs, apart from the entry: a full run holds an entry per listed
    /// item, and once its link is stored (or found stored as listed) an entry keeps none of them but a file writes name.
    /// Never changed, only replaced, so entries copied with <c>with</c> may share one.
    /// </summary>
    private sealed class LinkParts
    {
        /// <summary>The guid packed in two numbers when it is a Plex guid of the common form (most of a Plex library's), else default.</summary>
        private readonly IdKey _plexGuid;
        private readonly string? _rawId;

        private LinkParts(string? partKey, string? rawId, string? library)
        {
            PartKey = partKey;
            Library = library;
            if (rawId is null || !IdKey.TryPackPlexGuid(rawId, out _plexGuid))
            {
                _rawId = rawId;
            }
        }

        public string? PartKey { get; }

        /// <summary>Gets the guid as listed (a packed one is made again, exactly, when the link is stored).</summary>
        public string? RawId => _rawId ?? (_plexGuid == default ? null : _plexGuid.ToPlexGuid());

        public string? Library { get; }

        public static LinkParts? Of(string? partKey, string? rawId, string? library) =>
            partKey is null && rawId is null && library is null ? null : new(partKey, rawId, library);
    }

    /// <summary>The parts few listed entries have, apart from the entry (null for an entry without any). Never changed, only replaced.</summary>
    private sealed record RareParts(SourceItem? Item, string? Edition, IReadOnlyList<Listed> Others)
    {
        public static RareParts? Of(SourceItem? item, string? edition, IReadOnlyList<Listed> others) =>
            item is null && edition is null && others.Count == 0 ? null : new(item, edition, others);
    }

    public async Task<SyncReport> RunAsync(Flow flow, SyncOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        flow = RunSteps.Narrow(flow, options);
        await runs.MarkInterruptedAsync(flow.Id, clock.GetUtcNow(), cancellationToken);
        var optionsJson = JsonSerializer.Serialize(new { options.DryRun, options.Force, since = options.Since, libraries = options.Libraries, profiles = options.Profiles });
        var runId = await runs.StartAsync(flow.Id, flow.Name, options.Trigger, optionsJson, clock.GetUtcNow(), cancellationToken);
        var started = clock.GetUtcNow();
        var plan = new List<PlannedWrite>();
        var watchlistPlans = new List<WatchlistPlan>();
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        var unresolved = new List<UnresolvedItem>();
        SyncSide? source = null;
        SyncSide? target = null;
        string status;
        string? message = null;
        var warnings = 0;
        try
        {
            source = await providers.CreateAsync(flow.SourceConnectionId, cancellationToken);
            target = await providers.CreateAsync(flow.TargetConnectionId, cancellationToken);
            var firstRun = !await runs.HasCompletedRunAsync(flow.Id, cancellationToken);
            progress?.Report($"{flow.Name}: listing accounts on {source.Connection.Name} and {target.Connection.Name}");
            var pairs = await steps.MapAsync(source, target, fresh: true, cancellationToken);
            var sides = new Dictionary<long, SyncSide> { [source.Connection.Id] = source, [target.Connection.Id] = target };
            var accounts = pairs.SelectMany(p => new[] { (Id: p.Source.Id, Account: p.SourceAccount), (Id: p.Target.Id, Account: p.TargetAccount) }).ToDictionary(a => a.Id, a => a.Account);
            if (!options.DryRun)
            {
                // A watchlist write left unanswered is not an item's watch state: the next listing of both watchlists tells what it did.
                var uncertain = await runs.ListUncertainWritesAsync(flow.Id, cancellationToken);
                await executor.ReconcileAsync([.. uncertain.Where(w => w.Feature != FlowFeature.Watchlist)], sides, accounts, cancellationToken);
            }

            pairs = RunSteps.Selected(flow, pairs);
            foreach (var asked in (options.Profiles ?? []).Where(a => !pairs.Any(p => p.ProfileName.Equals(a, StringComparison.OrdinalIgnoreCase))))
            {
                message = Append(message, $"profile {asked} has no accounts linked on both {source.Connection.Name} and {target.Connection.Name}; nothing was synced for it");
                warnings++;
            }

            foreach (var skipped in await UnpairedAsync(flow, pairs, source, target, cancellationToken))
            {
                message = Append(message, skipped);
                warnings++;
            }

            // A full run matches against the whole snapshot; an incremental run loads only what its listings name.
            var incremental = options.Since is not null;
            var (resolver, knownKeys, indexed) = await IndexAsync(incremental, cancellationToken);
            if (indexed >= ManyIndexed)
            {
                // What indexing the stored snapshot left (its lists, the lowest-key table, the tables the trim copied out
                // of: large objects, mostly) stayed committed while the first profile was read, the peak of a full run that
                // finds the store filled: the 2,000-movie Plex ⇄ Jellyfin rerun peaked about 2 to 3 MB higher without
                // this collection (bench/RESULTS.md, "A full run's indexing collected").
                CollectWhatIsLeft();
            }

            var unresolvedKeys = new HashSet<(long, string)>();
            var listedBefore = new Dictionary<long, int>();
            var targetSize = 0;
            var syncsWatchlists = flow.Features.Contains(FlowFeature.Watchlist) && WatchlistSync.Carries(source) && WatchlistSync.Carries(target);
            var syncsState = flow.Features.Any(f => f != FlowFeature.Watchlist);
            async Task PlanWatchlistsAsync(ProfilePair pair)
            {
                if (!syncsWatchlists)
                {
                    return;
                }

                // A watchlist that cannot be read in full is left as it is, and so is the other side's: nothing is removed on a failure.
                progress?.Report($"{flow.Name}: reading the watchlists of {pair.ProfileName}");
                try
                {
                    var watchlist = await watchlists.PlanAsync(flow, firstRun, pair, source, target, unresolved, cancellationToken);
                    watchlistPlans.Add(watchlist);
                    targetSize = Math.Max(targetSize, watchlist.Listed);
                }
                catch (Exception ex) when (ex is SyncListingException or ProviderException)
                {
                    message = Append(message, $"watchlists of {pair.ProfileName} not synced: {ex.Message}");
                    warnings++;
                }
            }

            foreach (var pair in pairs)
            {
                if (!pair.SourceAccount.CanAct || !pair.TargetAccount.CanAct)
                {
                    message = Append(message, $"profile {pair.ProfileName} skipped: {pair.SourceAccount.Reason ?? pair.TargetAccount.Reason ?? "no credentials"}");
                    continue;
                }

                if (!syncsState)
                {
                    await PlanWatchlistsAsync(pair);
                    continue;
                }

                // A full run matches each item as it is read and keeps only what observing, planning and storing need of
                // it (Listed), so neither side's listing is held as read; an incremental run first loads the part
                // of the snapshot its listings name.
                var keepIds = source.Provider is ICatalogTarget || target.Provider is ICatalogTarget;
                // Each side's listing is expected to be as long as its last one in this run, or, for the run's first
                // profile, as many items as the run knows there (nothing is expected of a run narrowed to some libraries).
                int Expected(SyncSide side) => listedBefore.TryGetValue(side.Connection.Id, out var listed) ? listed
                    : options.Libraries is { Count: > 0 } ? 0 : knownKeys.CountOn(side.Connection.Id);
                var sourceMatch = new Matching(resolver, source, flow.Filters, unresolved, unresolvedKeys, keepIds, knownKeys, Expected(source));
                var targetMatch = new Matching(resolver, target, flow.Filters, unresolved, unresolvedKeys, keepIds, knownKeys, Expected(target));
                (sourceMatch.Other, targetMatch.Other) = (targetMatch, sourceMatch);
                progress?.Report($"{flow.Name}: reading {pair.ProfileName} on {source.Connection.Name} and {target.Connection.Name}");

                // A full run needs every baseline of both accounts and every state of the profile whatever the listings
                // hold: they are read from the store while the servers are read (the previous pair's commit is done). Their
                // keys are the run's known keys (only read until the listings end), not strings of their own.
                var stored = incremental ? null : Task.Run(
                    async () => (
                        Source: await ledger.LoadBaselinesAsync(pair.Source.Id, knownKeys.SharerOn(source.Connection.Id), cancellationToken),
                        Target: await ledger.LoadBaselinesAsync(pair.Target.Id, knownKeys.SharerOn(target.Connection.Id), cancellationToken),
                        States: await ledger.LoadStatesAsync(pair.ProfileId, cancellationToken)),
                    cancellationToken);
                List<SourceItemState> sourceListing, targetListing;
                try
                {
                    (sourceListing, targetListing) = await ReadBothAsync(
                        (source, pair.SourceAccount, incremental ? null : sourceMatch),
                        (target, pair.TargetAccount, incremental ? null : targetMatch),
                        flow,
                        options,
                        cancellationToken);
                }
                catch when (stored is not null)
                {
                    await ((Task)stored).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    throw;
                }

                IReadOnlyDictionary<string, ObservedState>? sourceBaselines = null;
                IReadOnlyDictionary<string, ObservedState>? targetBaselines = null;
                IReadOnlyDictionary<long, LedgerState>? storedStates = null;
                if (incremental)
                {
                    var part = await identity.LoadForAsync(IdentityResolver.IdsOf(sourceListing.Concat(targetListing).Select(l => l.Item)), cancellationToken);
                    resolver.Add(part);
                    AddKnownKeys(knownKeys, part);
                    sourceMatch.AddRange(sourceListing);
                    targetMatch.AddRange(targetListing);
                }
                else
                {
                    (sourceBaselines, targetBaselines, storedStates) = await stored!;
                    // A run narrowed to some libraries lists part of what the baselines hold, by design: only an empty listing is refused.
                    var partial = options.Libraries is { Count: > 0 };
                    CheckListing(source, pair.ProfileName, sourceMatch.Read, sourceBaselines.Count, partial);
                    CheckListing(target, pair.ProfileName, targetMatch.Read, targetBaselines.Count, partial);
                }

                var sourceItems = sourceMatch.Items();
                var targetItems = targetMatch.Items();
                (listedBefore[source.Connection.Id], listedBefore[target.Connection.Id]) = (sourceMatch.Entries, targetMatch.Entries);
                var created = 0;
                if (!options.DryRun)
                {
                    var realIds = await identity.SaveAsync(IdentityChangesOf(resolver, source, sourceItems, target, targetItems, knownKeys, clock.GetUtcNow()), cancellationToken);
                    resolver.Commit(realIds);
                    Remap(sourceItems, realIds);
                    Remap(targetItems, realIds);
                    created = realIds.Count;
                }

                // The links are stored (a dry run stores none, and nothing after this point reads what they needed).
                LinksStored(knownKeys, source.Connection.Id, sourceItems);
                LinksStored(knownKeys, target.Connection.Id, targetItems);

                if (created >= ManyCreated && created * 2 >= Math.Max(sourceItems.Count, targetItems.Count))
                {
                    // The profile created an item for at least half of what a side lists (a run's first profile, or a
                    // library added since): each entry's guid, file and library and the resolver's new ids go at once,
                    // before observing, the ledger commit and the plan allocate on top of them. Left to the collector,
                    // they were still in its oldest generation at the first run's peak on the reference library (152 MB
                    // of heap, 86 MB of it alive).
                    CollectWhatIsLeft();
                }

                // An incremental run needs the baselines of what it listed, and of the items listed on the other side.
                var sourceSeen = incremental ? await ledger.HasBaselinesAsync(pair.Source.Id, cancellationToken) : sourceBaselines!.Count > 0;
                var targetSeen = incremental ? await ledger.HasBaselinesAsync(pair.Target.Id, cancellationToken) : targetBaselines!.Count > 0;
                sourceBaselines ??= await ledger.LoadBaselinesAsync(pair.Source.Id, KeysOf(resolver, source, sourceItems, targetItems, knownKeys), cancellationToken);
                targetBaselines ??= await ledger.LoadBaselinesAsync(pair.Target.Id, KeysOf(resolver, target, targetItems, sourceItems, knownKeys), cancellationToken);
                sourceItems = WithLengths(sourceItems, targetItems, sourceBaselines);
                targetItems = WithLengths(targetItems, sourceItems, targetBaselines);

                // Observe both sides against their baselines; only changes become events.
                var now = clock.GetUtcNow();
                var events = new List<LedgerEvent>();
                Observe(pair.ProfileId, source.Connection.Id, pair.Source.Id, sourceItems, sourceBaselines, now, sourceSeen ? EventOrigin.Poll : EventOrigin.Scan, runId, events);
                Observe(pair.ProfileId, target.Connection.Id, pair.Target.Id, targetItems, targetBaselines, now, targetSeen ? EventOrigin.Poll : EventOrigin.Scan, runId, events);

                // The new baselines are made as the store writes them, from the entries: a first run has one for every item
                // on both sides, and held as a list they were the largest thing alive while the profile was stored.
                var baselines = NewBaselines(pair.Source.Id, sourceItems, sourceBaselines, now).Concat(NewBaselines(pair.Target.Id, targetItems, targetBaselines, now));
                var loaded = storedStates ?? await ledger.LoadStatesAsync(pair.ProfileId, Family(resolver, sourceItems.Keys.Concat(targetItems.Keys)), cancellationToken);
                var states = loaded as Dictionary<long, LedgerState> ?? loaded.ToDictionary();
                var changed = RunSteps.Fold(flow, events, e => states.GetValueOrDefault(e.ItemId), (e, next) => states[e.ItemId] = next);

                if (!options.DryRun)
                {
                    await ledger.CommitAsync(new LedgerCommit(events, changed, baselines), cancellationToken);
                }

                var touched = events.Select(e => e.ItemId).ToHashSet();
                plan.AddRange(PlanSide(flow, firstRun, resolver, pair.ProfileId, target, pair.Target.Id, targetItems, targetBaselines, sourceItems, touched, knownKeys, states, options));

                // A catalogue target (Trakt) lists only what its account touched: the items it may receive are the source's.
                targetSize = Math.Max(targetSize, target.Provider is ICatalogTarget ? Math.Max(targetItems.Count, sourceItems.Count) : targetItems.Count);
                if (flow.TwoWay)
                {
                    plan.AddRange(PlanSide(flow, firstRun, resolver, pair.ProfileId, source, pair.Source.Id, sourceItems, sourceBaselines, targetItems, touched, knownKeys, states, options));
                    targetSize = Math.Max(targetSize, sourceItems.Count);
                }

                // After the watch states, so a title watched in this run's listings counts as watched.
                await PlanWatchlistsAsync(pair);

                // The run's indexes now hold nearly all they will: what they grew into beyond that goes before the next profile.
                resolver.TrimExcess();
                knownKeys.Trim();
            }

            if (!options.DryRun)
            {
                foreach (var side in new[] { source, target })
                {
                    await identity.ReplaceUnresolvedAsync(side.Connection.Id, unresolved.Where(u => u.ConnectionId == side.Connection.Id).ToList(), clock.GetUtcNow(), cancellationToken);
                }
            }

            var watchlistWrites = watchlistPlans.SelectMany(w => w.Writes).ToList();
            if (RunSteps.Guard(flow, [.. plan, .. watchlistWrites], targetSize) is { } held && !options.Force)
            {
                status = RunStatus.Held;
                message = Append(message, held);
            }
            else if (options.DryRun)
            {
                status = RunStatus.DryRun;
            }
            else
            {
                var writes = plan.Count(w => w.SkipReason is null) + watchlistWrites.Count(w => w.SkipReason is null);
                progress?.Report($"{flow.Name}: writing {writes} changes");
                if (writes >= ManyWrites)
                {
                    FlowRunner.GiveMemoryBack();
                }

                status = await steps.ExecuteAsync(runId, plan, sides, accounts, outcomes, progress, cancellationToken, retryNotTaken: options.Force);
                await watchlists.ExecuteAsync(runId, flow.Id, watchlistPlans, outcomes, cancellationToken);
                if (status != RunStatus.Failed && watchlistWrites.Any(w => outcomes.GetValueOrDefault(w.IdempotencyKey)?.StartsWith(WriteStatus.Failed, StringComparison.Ordinal) == true))
                {
                    status = RunStatus.Failed;
                }
            }

            if (status == RunStatus.Done && warnings > 0)
            {
                status = RunStatus.DoneWithWarnings;
            }
        }
        catch (Exception ex) when (ex is SyncListingException or ProviderException or InvalidOperationException)
        {
            status = RunStatus.Failed;
            message = Append(message, ex.Message);

            // A run that failed part-way matched part of its listings (each item as it was read): the items it could not
            // match are only some of them, so they are neither counted nor told as the flow's unresolved set.
            unresolved.Clear();
        }

        plan.AddRange(watchlistPlans.SelectMany(w => w.Writes));
        return await steps.FinishAsync(flow, runId, options.Trigger, started, status, message, plan, outcomes, unresolved, [source, target]);
    }

    /// <summary>
    /// The profiles the flow selects that have accounts linked on its connections but no pair to sync: an account the
    /// connection does not list (a placeholder of an old link, or an account gone), or accounts that could not be paired.
    /// </summary>
    private async Task<List<string>> UnpairedAsync(Flow flow, IReadOnlyList<ProfilePair> pairs, SyncSide source, SyncSide target, CancellationToken cancellationToken)
    {
        var paired = pairs.Select(p => p.ProfileId).ToHashSet();
        var sides = new[] { source.Connection.Id, target.Connection.Id };
        var skipped = new List<string>();
        foreach (var group in (await profiles.ListLinksAsync(null, cancellationToken)).Where(l => sides.Contains(l.ConnectionId) && !paired.Contains(l.ProfileId)).GroupBy(l => l.ProfileId))
        {
            var name = (await profiles.GetAsync(group.Key, cancellationToken))?.Name ?? group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (flow.Filters.Profiles.Count > 0 && !flow.Filters.Profiles.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var unlisted = group.Where(l => l.AccountKind == Connections.Account.KindUnknown).ToList();
            if (unlisted.Count > 0)
            {
                skipped.Add($"profile {name} skipped: {string.Join(", ", unlisted.Select(l => $"account '{l.ExternalId}' of {l.ConnectionName}"))} is not among the accounts the connection lists (link the profile again)");
            }
            else if (group.Select(l => l.ConnectionId).Distinct().Count() == 2)
            {
                skipped.Add($"profile {name} skipped: its accounts on {source.Connection.Name} and {target.Connection.Name} could not be paired");
            }
        }

        return skipped;
    }

    /// <summary>
    /// How many writes a run plans at least before what its reading needed is handed back ahead of them
    /// (<see cref="FlowRunner.GiveMemoryBack"/>): the listings' pages and entries, the compiler's working memory and
    /// what native code freed. A long write phase allocates on top of the reading's peak otherwise, and the process
    /// never shrinks back: the 2,000-movie run (3,545 writes) peaked in its writes, 4 to 6 MB higher than with the
    /// memory given back (bench/RESULTS.md, "The compiler's memory at the peak"). One blocking collection for such a run.
    /// </summary>
    public const int ManyWrites = 1_000;

    /// <summary>How many items a profile creates at least before what linking them left is collected at once (a small library's heap is small).</summary>
    internal const int ManyCreated = 1_000;

    /// <summary>How many stored local keys a full run indexes at least before what indexing them left is collected at once.</summary>
    public const int ManyIndexed = 1_000;

    /// <summary>
    /// One blocking, compacting full collection, where a run has just let go of a large part of its heap that the
    /// collector would otherwise keep committed into the run's peak: what indexing a filled store's snapshot left (once per
    /// full run that indexed <see cref="ManyIndexed"/> stored keys or more) and what linking a profile's new items left
    /// (once per profile that created <see cref="ManyCreated"/> items or more, and for half of a side's listing). A first
    /// run's later profiles, incremental runs and small libraries ask for none.
    /// </summary>
    private static void CollectWhatIsLeft() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);

    private static string Append(string? message, string more) => message is null ? more : message + "; " + more;

    /// <summary>Refuses an empty or shrunken listing; an account of a catalogue side (Trakt) that never listed anything may be empty.</summary>
    private void CheckListing(SyncSide side, string profile, int listed, int baseline, bool partial)
    {
        var connection = side.Connection.Name;
        if (listed == 0 && !(side.Provider is ICatalogTarget && baseline == 0))
        {
            throw new SyncListingException($"{connection} listed no items for {profile}; an empty listing is treated as an error, never as a mass removal");
        }

        if (!partial && baseline >= steps.Rules.ShrinkMinimum && listed < baseline * steps.Rules.ShrinkRatio)
        {
            throw new SyncListingException($"{connection} listed {listed} items for {profile}, down from {baseline}; a listing that shrank this much is treated as an error, never as a mass removal");
        }
    }

    /// <summary>
    /// Reads both sides' listings of a profile at once: while one side's items are parsed, the other's are matched. Matching
    /// keeps one order whatever the timing, so a run's result never depends on which server answered first: the two sides
    /// take turns of <see cref="MatchTurn"/> items each, the source first, and a side that has listed everything leaves the
    /// turns to the other. When one side's read fails, the other is stopped and the failure is what the run reports.
    /// </summary>
    private static async Task<(List<SourceItemState> Source, List<SourceItemState> Target)> ReadBothAsync(
        (SyncSide Side, ProviderAccount Account, Matching? Matching) source,
        (SyncSide Side, ProviderAccount Account, Matching? Matching) target,
        Flow flow,
        SyncOptions options,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var turns = new Turns();
        var reads = new[]
        {
            ReadAsync(source.Side, source.Account, flow, options, source.Matching, turns, 0, stop, stop.Token),
            ReadAsync(target.Side, target.Account, flow, options, target.Matching, turns, 1, stop, stop.Token),
        };
        try
        {
            await Task.WhenAll(reads);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The side that failed first stopped the other: report its failure, not the other's cancellation.
            if (reads.Select(r => r.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }

        return (await reads[0], await reads[1]);
    }

    /// <summary>How many listed items one side matches before the other side's turn.</summary>
    private const int MatchTurn = 64;

    /// <summary>Room a plan's candidates keep beyond a side's listing for the movies of editions it lists (a few per hundred movies).</summary>
    private const int EditionRoom = 1024;

    /// <summary>
    /// Reads one account's listing of a side. With <paramref name="matching"/> (a full run) each item is matched as it
    /// arrives, in this side's turns (<see cref="Turns"/>), and nothing is returned; without it (an incremental run, which
    /// must first load the snapshot's part that its listings name) the listing is returned as read.
    /// </summary>
    private static async Task<List<SourceItemState>> ReadAsync(SyncSide side, ProviderAccount account, Flow flow, SyncOptions options, Matching? matching, Turns turns, int me, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        var query = new WatchStateQuery { ChangedSince = options.Since, Libraries = flow.Filters.Libraries, Progress = flow.Features.Contains(FlowFeature.Progress) };
        var listed = new List<SourceItemState>();
        var turn = new List<SourceItemState>(MatchTurn);
        async Task MatchAsync(bool last)
        {
            await turns.WaitAsync(me, cancellationToken);
            foreach (var entry in turn)
            {
                matching!.Add(entry);
            }

            turn.Clear();
            turns.Pass(me, last);
        }

        try
        {
            await foreach (var entry in side.Source.ReadAsync(account, query, cancellationToken))
            {
                if (matching is null)
                {
                    listed.Add(entry);
                    continue;
                }

                turn.Add(entry);
                if (turn.Count == MatchTurn)
                {
                    await MatchAsync(last: false);
                }
            }

            if (matching is not null)
            {
                await MatchAsync(last: true);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stop.CancelAsync();
            throw;
        }

        return listed;
    }

    /// <summary>
    /// The turns two readers take at matching: side 0 first, then each in turn; a side that has finished passes every later
    /// turn to the other. Only the side holding the turn changes anything here.
    /// </summary>
    private sealed class Turns : IDisposable
    {
        private readonly SemaphoreSlim[] _go = [new(1, 1), new(0, 1)];
        private readonly bool[] _done = new bool[2];

        public Task WaitAsync(int side, CancellationToken cancellationToken) => _go[side].WaitAsync(cancellationToken);

        public void Pass(int side, bool last)
        {
            _done[side] |= last;
            var other = 1 - side;
            if (!_done[other])
            {
                _go[other].Release();
            }
            else if (!last)
            {
                _go[side].Release();
            }
        }

        public void Dispose()
        {
            _go[0].Dispose();
            _go[1].Dispose();
        }
    }

    /// <summary>
    /// Matches a listing, item by item; <see cref="Items"/> gives one entry per ledger item. Entries of one item that share
    /// a state (<see cref="SourceItem.SharedStateKey"/>) are one copy; the state of an item with several copies is theirs
    /// together (a watch of any copy counts), and its entry is the copy written to: the base version (no edition) first,
    /// else the lowest local key. A copy that holds only an edition is, by the flow's <see cref="FlowFilters.Editions"/>
    /// policy, that edition's own item, its movie's item, or left out. A matched entry keeps only what observing, planning
    /// and storing need (<see cref="Listed"/>); its ids stay only when a side is a catalogue (Trakt), whose keys are made
    /// from the other side's ids. Copies are told apart by a 128-bit hash of their shared-state key (a Plex guid, or the local
    /// key), not by the key itself: the table lives as long as the listing, and kept as text the keys were the guid of
    /// every listed item (11.5 MB of strings on the reference library's first profile). Two copies of one item are taken
    /// for one only if their keys share that hash (a chance of 2^-128 per pair).
    /// </summary>
    private sealed class Matching(IdentityResolver resolver, SyncSide side, FlowFilters filters, List<UnresolvedItem> unresolved, HashSet<(long, string)> unresolvedKeys, bool keepIds, KnownKeys linked, int expected)
    {
        /// <summary>
        /// The entries by item and copy (the copy's hash in two halves: a 128-bit number in the key would be aligned to 16
        /// bytes, making each slot a fifth larger). Made as large as the listing is expected to be, so it does not grow
        /// by doubling, with the table it grows out of beside it, as the listing ends.
        /// </summary>
        private Dictionary<(long ItemId, ulong CopyLow, ulong CopyHigh), Listed> _copies = new(expected);

        /// <summary>Gets how many entries the listing held, matched or not.</summary>
        public int Read { get; private set; }

        /// <summary>
        /// Gets or sets the other side's matching of the profile. An entry whose copy the other side has listed already (the
        /// same item and shared-state key: a Plex guid on both servers of a Plex pair) keeps that entry's title when the two
        /// are equal, so an item listed on both sides holds one title string, not two (about 90,000 of each on the reference
        /// library). Read only in this side's turn, while the other side waits for its own.
        /// </summary>
        public Matching? Other { get; set; }

        /// <summary>Gets how many entries by item and copy the listing made (the table's size when <see cref="Items"/> took it).</summary>
        public int Entries { get; private set; }

        public void AddRange(IEnumerable<SourceItemState> listing)
        {
            foreach (var entry in listing)
            {
                Add(entry);
            }
        }

        public void Add(SourceItemState entry)
        {
            Read++;
            var item = entry.Item;
            var resolution = resolver.Resolve(item, filters);
            if (!resolution.Resolved)
            {
                if (unresolvedKeys.Add((side.Connection.Id, item.LocalKey)))
                {
                    unresolved.Add(new UnresolvedItem(side.Connection.Id, side.Connection.Name, item.LocalKey, item.Kind.Name(), item.Title, resolution.Reason!, resolution.Detail, default, default, 1));
                }

                return;
            }

            // A state that shows nothing is the one shared empty state, whichever provider listed it. The entry keeps the
            // run's own string of its key when the run knows it (from the store or an earlier profile).
            var localKey = resolution.ItemIds.Count > 0 ? linked.Share(side.Connection.Id, resolution.ItemIds[0], item.LocalKey) : item.LocalKey;
            var copy = XxHash128.HashToUInt128(MemoryMarshal.AsBytes((item.SharedStateKey ?? localKey).AsSpan()));
            var (copyLow, copyHigh) = ((ulong)copy, (ulong)(copy >> 64));
            var stored = !keepIds && StoredAsListed(item, resolution.ItemIds);
            var itemIds = resolution.ItemIds;
            var title = itemIds.Count > 0 && Other is not null && Other._copies.TryGetValue((itemIds[0], copyLow, copyHigh), out var there) && string.Equals(there.Title, item.Title, StringComparison.Ordinal)
                ? there.Title
                : item.Title;
            var kept = new Listed(item, entry.State.Shared(), keepItem: keepIds, linked: !keepIds && (stored || Linked(item.LocalKey, resolution.ItemIds)), storedAsListed: stored, localKey, title);
            for (var i = 0; i < itemIds.Count; i++)
            {
                var itemId = itemIds[i];
                // Entries of one copy show one state: the one written to stands for them.
                if (!_copies.TryGetValue((itemId, copyLow, copyHigh), out var existing) || Preferred(kept, existing))
                {
                    _copies[(itemId, copyLow, copyHigh)] = kept;
                }
            }
        }

        public Dictionary<long, Listed> Items()
        {
            Entries = _copies.Count;
            var items = new Dictionary<long, Listed>(_copies.Count);
            foreach (var ((itemId, _, _), entry) in _copies)
            {
                var owner = itemId;
                if (entry is { Kind: MediaKind.Movie, Edition: { } edition })
                {
                    if (filters.Editions == EditionPolicy.Skip)
                    {
                        continue;
                    }

                    if (filters.Editions == EditionPolicy.Edition)
                    {
                        owner = resolver.EditionOf(itemId, edition);
                    }
                }

                if (!items.TryGetValue(owner, out var existing))
                {
                    items[owner] = entry;
                }
                else
                {
                    var (lead, other) = Preferred(entry, existing) ? (entry, existing) : (existing, entry);
                    items[owner] = lead with { Others = [.. lead.Others, .. other.Copies] };
                }
            }

            // The copies' table is as large as the listing: it goes now, not with the run's profile.
            _copies = [];
            return items;
        }

        /// <summary>
        /// Whether the store holds the entry's links to all its items as listed (the same key, item, kind, library, guid and
        /// part key: <see cref="LinkFingerprint"/>), so they need not be stored again. Not for a movie's edition kept as an
        /// item of its own: its link goes to the edition's item, not to the movie it resolved to.
        /// </summary>
        private bool StoredAsListed(SourceItem item, IReadOnlyList<long> itemIds)
        {
            if (item is { Kind: MediaKind.Movie, Edition: not null } && filters.Editions == EditionPolicy.Edition)
            {
                return false;
            }

            // The fingerprint is made only for a link stored with this key: a first run's entries (nothing stored) and a
            // later profile's (linked by this run) are not hashed.
            for (var i = 0; i < itemIds.Count; i++)
            {
                var itemId = itemIds[i];
                var stored = linked.StoredFingerprint(side.Connection.Id, item.LocalKey, itemId);
                if (stored == LinkFingerprint.None || stored != LinkFingerprint.Of(itemId, item.Kind.Name(), item.Library, item.RawId, item.PartKey))
                {
                    return false;
                }
            }

            return itemIds.Count > 0;
        }

        /// <summary>Whether an earlier profile of this run stored the entry's links to all its items already.</summary>
        private bool Linked(string localKey, IReadOnlyList<long> itemIds)
        {
            // By index, here and above: a foreach over the interface makes an enumerator object per listed item.
            for (var i = 0; i < itemIds.Count; i++)
            {
                if (!linked.IsLinked(side.Connection.Id, localKey, itemIds[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static bool Preferred(Listed candidate, Listed current) =>
        (candidate.Edition is null && current.Edition is not null)
        || ((candidate.Edition is null) == (current.Edition is null) && string.CompareOrdinal(candidate.LocalKey, current.LocalKey) < 0);

    /// <summary>
    /// Adds a side's entries to the run's known keys once their links are stored, and lets go of what linking needed.
    /// A loop over every entry of its own, not in <see cref="RunAsync"/>: a hot loop in that method had the runtime
    /// compile all of it again while it ran (on-stack replacement of a state machine of 11,000 IL bytes), about 8 MB of
    /// the compiler's memory at the 2,000-movie run's peak (bench/RESULTS.md, "The compiler's memory at the peak").
    /// </summary>
    private static void LinksStored(KnownKeys knownKeys, long connectionId, Dictionary<long, Listed> items)
    {
        knownKeys.Reserve(connectionId, items.Keys);
        foreach (var (itemId, listed) in items)
        {
            knownKeys.AddLinked(connectionId, itemId, listed.LocalKey, listed.Others.Count == 0 ? [] : listed.Others.Select(o => o.LocalKey));
            foreach (var copy in listed.Copies)
            {
                copy.LinkStored();
            }
        }
    }

    /// <summary>
    /// Moves the entries under temporary ids to their stored ids, in place: a run's first profile makes nearly every item
    /// new, and a copy of both sides' tables was two more large arrays beside them. The entries are taken out first and
    /// put back last to first, so each lands in the place its temporary id left and the table keeps its order.
    /// </summary>
    private static void Remap(Dictionary<long, Listed> items, IReadOnlyDictionary<long, long> realIds)
    {
        if (realIds.Count == 0)
        {
            return;
        }

        var moved = new List<(long Temporary, long Real, Listed Entry)>(Math.Min(items.Count, realIds.Count));
        foreach (var (id, entry) in items)
        {
            if (realIds.TryGetValue(id, out var real))
            {
                moved.Add((id, real, entry));
            }
        }

        foreach (var (id, _, _) in moved)
        {
            items.Remove(id);
        }

        for (var i = moved.Count - 1; i >= 0; i--)
        {
            items.Add(moved[i].Real, moved[i].Entry);
        }
    }

    /// <summary>
    /// The ids, items and links to store; a link already stored in this run (by another profile's listing) is not sent
    /// again. Nothing is copied: the resolver's lists are handed over as they are (<see cref="IdentityResolver.Commit"/>
    /// starts new ones), and the links are made while the store walks them. A run's first profile links every listed item
    /// (about 180,000 on the reference library): as a list, with the copies it grows through, they were 30 MB of large
    /// arrays at the run's peak.
    /// </summary>
    private static IdentityChanges IdentityChangesOf(IdentityResolver resolver, SyncSide source, Dictionary<long, Listed> sourceItems, SyncSide target, Dictionary<long, Listed> targetItems, KnownKeys linked, DateTimeOffset now)
    {
        static IEnumerable<(long, string, long, string, string?, string?, string?)> Links(SyncSide side, Dictionary<long, Listed> items, KnownKeys linked)
        {
            foreach (var (itemId, listed) in items)
            {
                foreach (var entry in listed.Copies)
                {
                    if (!entry.StoredAsListed && !linked.IsLinked(side.Connection.Id, entry.LocalKey, itemId))
                    {
                        yield return (side.Connection.Id, entry.LocalKey, itemId, entry.Kind.Name(), entry.RawId, entry.PartKey, entry.Library);
                    }
                }
            }
        }

        return new IdentityChanges(resolver.NewItems, resolver.NewIds, Links(source, sourceItems, linked).Concat(Links(target, targetItems, linked)), now);
    }

    /// <summary>
    /// The resolver and the local key of each (connection, item) a run starts with: of the whole stored snapshot for a full
    /// run, empty for an incremental one, with how many stored local keys were indexed. The snapshot's own lists are not
    /// kept: the run holds only its indexes, and what made them is garbage once this returns (<see cref="CollectWhatIsLeft"/>).
    /// </summary>
    private async Task<(IdentityResolver Resolver, KnownKeys KnownKeys, int Indexed)> IndexAsync(bool incremental, CancellationToken cancellationToken)
    {
        var snapshot = incremental ? new IdentitySnapshot([], [], []) : await identity.LoadAsync(cancellationToken);
        var knownKeys = new KnownKeys();
        AddKnownKeys(knownKeys, snapshot);
        var resolver = new IdentityResolver(snapshot);

        // Filled one at a time, the tables grew by doubling to up to twice what they hold (a third of the run's largest
        // arrays): trimmed now, before the listings are read, not after the first profile.
        resolver.TrimExcess();
        knownKeys.Trim();
        return (resolver, knownKeys, snapshot.SourceItems.Count);
    }

    /// <summary>Adds each stored (connection, item) local key, the lowest when there are several; keys already known stay.</summary>
    internal static void AddKnownKeys(KnownKeys knownKeys, IdentitySnapshot snapshot)
    {
        // At the size of what is stored (a full run's snapshot names every item on both servers), not grown by doubling.
        var lowest = new Dictionary<(long, long), (string Key, long Fingerprint)>(snapshot.SourceItems.Count);
        foreach (var (connectionId, localKey, itemId, fingerprint) in snapshot.SourceItems)
        {
            if (!lowest.TryGetValue((connectionId, itemId), out var current) || string.CompareOrdinal(localKey, current.Key) < 0)
            {
                lowest[(connectionId, itemId)] = (localKey, fingerprint);
            }
        }

        knownKeys.Reserve(lowest.Count);
        foreach (var ((connectionId, itemId), (localKey, fingerprint)) in lowest)
        {
            knownKeys.AddStored(connectionId, itemId, localKey, fingerprint);
        }
    }

    /// <summary>
    /// The local keys of a side an incremental run looks at: its listed items and its keys for the items listed on the
    /// other side (and for the movies of editions listed there, which stand in for an edition this side lacks).
    /// </summary>
    private static HashSet<string> KeysOf(IdentityResolver resolver, SyncSide side, Dictionary<long, Listed> sideItems, Dictionary<long, Listed> otherItems, KnownKeys knownKeys)
    {
        var keys = sideItems.Values.SelectMany(l => l.Copies).Select(l => l.LocalKey).ToHashSet(StringComparer.Ordinal);
        foreach (var itemId in otherItems.Keys.Concat(otherItems.Keys.Select(resolver.MovieOfEdition).OfType<long>()))
        {
            if (knownKeys.TryGetValue((side.Connection.Id, itemId), out var key))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private void Observe(long profileId, long connectionId, long accountId, Dictionary<long, Listed> items, IReadOnlyDictionary<string, ObservedState> baselines, DateTimeOffset now, string origin, long runId, List<LedgerEvent> events)
    {
        // Each copy against its own baseline, so a listing that holds only some copies (an incremental run) reads no change into the rest.
        foreach (var (itemId, listed) in items)
        {
            foreach (var copy in listed.Copies)
            {
                var read = new ObservedRead(profileId, itemId, connectionId, accountId, copy.LocalKey, copy.State, copy.DurationMs, origin);
                steps.Observe(read, baselines.GetValueOrDefault(copy.LocalKey), now, runId, events, rows: null);
            }
        }
    }

    /// <summary>The baselines an observation of <paramref name="items"/> leaves (each copy's own), made one at a time as they are walked.</summary>
    private static IEnumerable<BaselineRow> NewBaselines(long accountId, Dictionary<long, Listed> items, IReadOnlyDictionary<string, ObservedState> baselines, DateTimeOffset now)
    {
        foreach (var listed in items.Values)
        {
            foreach (var copy in listed.Copies)
            {
                if (RunSteps.NewBaseline(accountId, copy.LocalKey, copy.State, baselines.GetValueOrDefault(copy.LocalKey), now) is { } row)
                {
                    yield return row;
                }
            }
        }
    }

    private IEnumerable<PlannedWrite> PlanSide(
        Flow flow,
        bool firstRun,
        IdentityResolver resolver,
        long profileId,
        SyncSide side,
        long accountId,
        Dictionary<long, Listed> sideItems,
        IReadOnlyDictionary<string, ObservedState> sideBaselines,
        Dictionary<long, Listed> otherItems,
        HashSet<long> touched,
        KnownKeys knownKeys,
        Dictionary<long, LedgerState> states,
        SyncOptions options)
    {
        bool Has(long itemId) => sideItems.ContainsKey(itemId) || knownKeys.ContainsKey((side.Connection.Id, itemId));

        // A side whose catalogue holds every title (Trakt) lists only what its account touched: the other side's items are written there too.
        var catalog = side.Provider as ICatalogTarget;

        // Sized for what is added below (a full run's first profile plans the whole library: a list and a set grown by
        // doubling allocated twice their size, a tenth of such a run's allocation).
        var candidates = new List<long>(sideItems.Count + (options.Since is null ? 0 : touched.Count) + (catalog is null ? 0 : otherItems.Count) + EditionRoom);
        candidates.AddRange(sideItems.Keys);
        if (options.Since is not null)
        {
            candidates.AddRange(touched);
        }

        // An edition this side does not have is written to its movie's base version here.
        for (int i = 0, listed = candidates.Count; i < listed; i++)
        {
            if (resolver.MovieOfEdition(candidates[i]) is { } movie)
            {
                candidates.Add(movie);
            }
        }

        if (catalog is not null)
        {
            candidates.AddRange(otherItems.Keys);
        }

        // An edition this side does not list is written to its movie when the movie is planned here (below), not again under its own ids.
        bool Folded(long itemId) => resolver.MovieOfEdition(itemId) is { } movie
            && (sideItems.ContainsKey(movie) || (knownKeys.TryGetValue((side.Connection.Id, movie), out var movieKey) && sideBaselines.ContainsKey(movieKey))
                || (otherItems.TryGetValue(movie, out var listedMovie) && catalog!.KeyFor(listedMovie.Item!) is not null));

        var items = new List<PlanItem>(candidates.Count);
        var planned = new HashSet<long>(candidates.Count);
        foreach (var itemId in candidates)
        {
            if (!planned.Add(itemId))
            {
                continue;
            }

            // Editions of a movie that this side does not have (most items have none: no list is made for them).
            List<LedgerState>? missing = null;
            var editions = resolver.EditionsOf(itemId);
            for (var i = 0; i < editions.Count; i++)
            {
                var edition = editions[i];
                if (!Has(edition) && states.TryGetValue(edition, out var editionState))
                {
                    (missing ??= []).Add(editionState);
                }
            }

            if (!states.TryGetValue(itemId, out var state) && missing is null)
            {
                continue;
            }

            if (missing is not null)
            {
                state = EditionFold.Movie(state, missing);
            }

            if (sideItems.TryGetValue(itemId, out var listed))
            {
                // A watch of any copy counts, so none is added; a removal is written to the copy it would change.
                items.Add(new PlanItem(itemId, listed.LocalKey, listed.Title, listed.DurationMs, state!, state!.Watched ? listed.Combined : listed.State));
            }
            else if (knownKeys.TryGetValue((side.Connection.Id, itemId), out var key) && sideBaselines.TryGetValue(key, out var seen))
            {
                // Outside a full listing the last observation stands in for the target (incremental runs).
                var other = otherItems.GetValueOrDefault(itemId);
                items.Add(new PlanItem(itemId, key, other?.Title, other?.DurationMs, state!, new WatchState
                {
                    PlayCount = seen.ViewCount,
                    LastWatchedAt = seen.LastViewedAt,
                    Rating = seen.Rating,
                    RatedAt = seen.RatedAt,
                    ProgressMs = seen.ProgressMs,
                }, TargetRead: false));
            }
            else if (catalog is not null && otherItems.TryGetValue(itemId, out var other) && catalog.KeyFor(other.Item!) is { } catalogKey && !Folded(itemId))
            {
                // Not listed there under this item: read before writing, since the listing may hold it under other ids.
                items.Add(new PlanItem(itemId, catalogKey, other.Title, other.DurationMs, state!, WatchState.Empty, TargetRead: false));
            }
        }

        return SharedParts(steps.Plan(flow, firstRun, profileId, side, accountId, items), sideItems, states);
    }

    /// <summary>
    /// Gives the items of a side that lists no lengths (Trakt) the length the other side lists for the same item, and
    /// turns a resume point kept as a share of the length into a position (the baseline's, when the share is its share:
    /// <see cref="ProgressShare"/>); without a length the resume point is dropped (no event, no write).
    /// </summary>
    private static Dictionary<long, Listed> WithLengths(Dictionary<long, Listed> items, Dictionary<long, Listed> other, IReadOnlyDictionary<string, ObservedState> baselines)
    {
        Listed Fill(Listed copy, long? length)
        {
            var duration = copy.DurationMs ?? length;
            var position = copy.State.ProgressPercent is { } percent ? ProgressShare.Position(percent, duration, baselines.GetValueOrDefault(copy.LocalKey)?.ProgressMs) : null;
            var state = copy.State.ProgressPercent is not null && copy.State.ProgressMs is null
                ? copy.State with { ProgressMs = position, ProgressAt = position is null ? null : copy.State.ProgressAt }
                : copy.State;
            return copy with { DurationMs = duration, State = state, Others = [.. copy.Others.Select(o => Fill(o, length))] };
        }

        static bool Lacks(Listed listed) => listed.DurationMs is null || listed.Others.Any(o => o.DurationMs is null);
        if (!items.Values.Any(Lacks))
        {
            return items;
        }

        var result = new Dictionary<long, Listed>(items.Count);
        foreach (var (itemId, listed) in items)
        {
            result[itemId] = Lacks(listed) ? Fill(listed, other.GetValueOrDefault(itemId)?.DurationMs) : listed;
        }

        return result;
    }

    /// <summary>The items whose ledger states a plan of <paramref name="itemIds"/> reads: those items, their movies and their movies' editions.</summary>
    private static HashSet<long> Family(IdentityResolver resolver, IEnumerable<long> itemIds)
    {
        var family = new HashSet<long>();
        foreach (var itemId in itemIds)
        {
            family.Add(itemId);
            var movie = resolver.MovieOfEdition(itemId) ?? itemId;
            family.Add(movie);
            family.UnionWith(resolver.EditionsOf(movie));
        }

        return family;
    }

    /// <summary>
    /// A side that holds several episodes as one item (a multi-episode file in Jellyfin or Emby) has one watched state for
    /// all of them: marking one episode watched would show every episode of the file watched, and reading that back would
    /// invent watches. A watch (or an unwatch) of such an episode is written only when the ledger has every episode of
    /// the file the same way; otherwise it is skipped, and the file is left as it is.
    /// </summary>
    private static IEnumerable<PlannedWrite> SharedParts(IReadOnlyList<PlannedWrite> writes, Dictionary<long, Listed> sideItems, Dictionary<long, LedgerState> states)
    {
        Dictionary<string, List<long>>? files = null;
        foreach (var write in writes)
        {
            if (write.SkipReason is null && write.Feature == FlowFeature.Watched
                && sideItems.TryGetValue(write.ItemId, out var listed) && listed is { WatchedWithPart: true, PartKey: { } file })
            {
                files ??= sideItems.Where(p => p.Value.WatchedWithPart && p.Value.PartKey is not null)
                    .GroupBy(p => p.Value.PartKey!, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList(), StringComparer.Ordinal);
                var watched = write.Action != WriteAction.MarkUnwatched;
                var apart = files[file].Where(id => id != write.ItemId && (states.TryGetValue(id, out var s) ? s.Watched : sideItems[id].Combined.Watched) != watched).ToList();
                if (apart.Count > 0)
                {
                    yield return write with { SkipReason = $"one item holds several episodes here, and {apart.Count} other episode(s) of it are {(watched ? "not watched" : "watched")}" };
                    continue;
                }
            }

            yield return write;
        }
    }
}
