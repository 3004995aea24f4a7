using System.Collections.Concurrent;
using Marquee.Core.Flows;
using Marquee.Core.Items;
using Marquee.Core.Providers;

namespace Marquee.Core.Sync;

/// <summary>A title both watchlists of a profile held after the last agreed run: the proof a later removal needs.</summary>
public sealed record WatchlistBaselineEntry(string Kind, IReadOnlyList<ExternalId> Ids, string? Title);

/// <summary>Keeps, per flow and pair of accounts, the titles both watchlists held after the last agreed run.</summary>
public interface IWatchlistBaselineStore
{
    Task<IReadOnlyList<WatchlistBaselineEntry>> LoadAsync(long flowId, long sourceAccountId, long targetAccountId, CancellationToken cancellationToken);

    Task ReplaceAsync(long flowId, long sourceAccountId, long targetAccountId, IReadOnlyList<WatchlistBaselineEntry> entries, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>One write of a watchlist plan: the side and key it goes to, and the title it stands for in the next baseline.</summary>
public sealed record WatchlistStep(PlannedWrite Write, SyncSide Side, ProviderAccount Account, WatchlistChange Change, WatchlistBaselineEntry Entry);

/// <summary>One profile's watchlists planned: the writes, the titles already on both lists, and how many each side listed.</summary>
public sealed record WatchlistPlan(ProfilePair Pair, IReadOnlyList<PlannedWrite> Writes, IReadOnlyList<WatchlistStep> Steps, IReadOnlyList<WatchlistBaselineEntry> Agreed, bool BaselineChanged, int Listed);

/// <summary>
/// Watchlists between two sides that both keep one (Plex through Discover, per plex.tv account; Trakt), per profile. A
/// title on one list and not the other is added to the other (to the target; both ways in a two-way flow). A removal
/// needs proof, as an unwatch does (DESIGN.md section 4): the title was on both lists in the last agreed baseline and is
/// now gone from one; in mirror mode it is then removed from the other side (in a one-way flow only when it left the
/// source). The first run never removes; an empty or sharply shrunk list, a failed read or a title without ids removes
/// nothing. Titles match by their tmdb, imdb or tvdb id and kind (movie or show), never by title.
/// </summary>
public sealed class WatchlistSync(IWatchlistBaselineStore baselines, IIdentityStore identity, ILedgerStore ledger, IRunStore runs, SyncRules rules, TimeProvider clock)
{
    private const int Lookups = 4;
    private static readonly string[] Schemes = [ExternalId.Tmdb, ExternalId.Imdb, ExternalId.Tvdb];

    /// <summary>Whether a side keeps a watchlist this sync can read and write.</summary>
    public static bool Carries(SyncSide side) => side.Provider is IWatchlist and IWatchlistLookup;

    /// <summary>Reads both watchlists of one profile and plans the writes; a failed read throws and plans nothing.</summary>
    public async Task<WatchlistPlan> PlanAsync(Flow flow, bool firstRun, ProfilePair pair, SyncSide source, SyncSide target, List<UnresolvedItem> unresolved, CancellationToken cancellationToken)
    {
        var sourceList = await ((IWatchlist)source.Provider).ReadWatchlistAsync(pair.SourceAccount, cancellationToken);
        var targetList = await ((IWatchlist)target.Provider).ReadWatchlistAsync(pair.TargetAccount, cancellationToken);
        var baseline = await baselines.LoadAsync(flow.Id, pair.Source.Id, pair.Target.Id, cancellationToken);
        CheckListing(source, pair.ProfileName, sourceList.Count, baseline.Count);
        CheckListing(target, pair.ProfileName, targetList.Count, baseline.Count);
        var agreedBefore = baseline.SelectMany(b => b.Ids.Select(id => (b.Kind, id))).ToHashSet();
        var titles = Match(Usable(source, sourceList, unresolved), Usable(target, targetList, unresolved));
        var mirror = flow.Mode == FlowMode.Mirror;
        var watched = flow.Filters.WatchedLeavesWatchlist ? await WatchedAsync(pair.ProfileId, titles, cancellationToken) : [];
        var writes = new ConcurrentBag<(int Order, PlannedWrite Write, WatchlistStep? Step)>();
        var agreed = new List<WatchlistBaselineEntry>();
        var adds = new List<(int Order, Title Title, SyncSide To, ProviderAccount Account, long AccountId, WatchlistEntry From, string Reason)>();
        for (var order = 0; order < titles.Count; order++)
        {
            var title = titles[order];
            var entry = new WatchlistBaselineEntry(title.Kind, title.Ids, title.Name);
            var wasAgreed = title.Ids.Any(id => agreedBefore.Contains((title.Kind, id)));
            if (watched.Contains(title))
            {
                // A watched title leaves the lists the flow writes, and goes to none (removals in mirror mode after the first run).
                foreach (var (on, side, account, accountId, writable) in new[] { (title.OnTarget, target, pair.TargetAccount, pair.Target.Id, true), (title.OnSource, source, pair.SourceAccount, pair.Source.Id, flow.TwoWay) })
                {
                    if (on is not null && writable && mirror && !firstRun)
                    {
                        writes.Add((order, Remove(flow, pair, side, accountId, on.Key, title, "watched, and the flow takes watched titles off the watchlist"), new WatchlistStep(null!, side, account, new WatchlistChange(on.Key, false), entry)));
                    }
                }
            }
            else if (title.OnSource is not null && title.OnTarget is not null)
            {
                agreed.Add(entry);
            }
            else if (title.OnSource is { } onSource)
            {
                if (wasAgreed && flow.TwoWay && mirror && !firstRun)
                {
                    writes.Add((order, Remove(flow, pair, source, pair.Source.Id, onSource.Key, title, $"left the watchlist on {target.Connection.Name} since the last run, when both lists held it"), new WatchlistStep(null!, source, pair.SourceAccount, new WatchlistChange(onSource.Key, false), entry)));
                }
                else
                {
                    adds.Add((order, title, target, pair.TargetAccount, pair.Target.Id, onSource, $"on the watchlist on {source.Connection.Name}"));
                }
            }
            else if (title.OnTarget is { } onTarget)
            {
                if (wasAgreed && mirror && !firstRun)
                {
                    writes.Add((order, Remove(flow, pair, target, pair.Target.Id, onTarget.Key, title, $"left the watchlist on {source.Connection.Name} since the last run, when both lists held it"), new WatchlistStep(null!, target, pair.TargetAccount, new WatchlistChange(onTarget.Key, false), entry)));
                }
                else if (flow.TwoWay)
                {
                    adds.Add((order, title, source, pair.SourceAccount, pair.Source.Id, onTarget, $"on the watchlist on {target.Connection.Name}"));
                }
            }
        }

        // An add needs the key the other side gives the title: Trakt's comes from the ids, Plex's from a Discover lookup.
        await Parallel.ForEachAsync(adds, new ParallelOptions { MaxDegreeOfParallelism = Lookups, CancellationToken = cancellationToken }, async (add, ct) =>
        {
            var key = await ((IWatchlistLookup)add.To.Provider).FindWatchlistKeyAsync(add.Account, add.From, ct);
            var write = Planned(flow, pair, add.To, add.AccountId, key ?? add.From.Key, add.Title, WriteAction.WatchlistAdd, add.Reason)
                with
            { SkipReason = key is null ? $"{add.To.Connection.Name} knows no {add.Title.Kind} with the ids {string.Join(", ", add.Title.Ids)}" : null };
            writes.Add((add.Order, write, key is null ? null : new WatchlistStep(write, add.To, add.Account, new WatchlistChange(key, true), new WatchlistBaselineEntry(add.Title.Kind, add.Title.Ids, add.Title.Name))));
        });

        var ordered = writes.OrderBy(w => w.Order).ToList();
        var steps = ordered.Where(w => w.Step is not null).Select(w => w.Step! with { Write = w.Write }).ToList();

        // The baseline is stored again only when it changes (a rerun of a list in step writes nothing, not even here).
        var changed = steps.Count > 0 || !SameTitles(agreed, baseline);
        return new WatchlistPlan(pair, [.. ordered.Select(w => w.Write)], steps, agreed, changed, Math.Max(sourceList.Count, targetList.Count));
    }

    /// <summary>
    /// Makes the writes of the plans, in batches where a side takes them (Trakt) and a few at a time otherwise (Plex), and
    /// stores each profile's new baseline: the titles on both lists, those added, and those whose removal failed. Each
    /// write is journaled in run <paramref name="runId"/> before it is sent (see <see cref="WatchlistJournal"/>), so
    /// <c>undo</c> can take it back.
    /// </summary>
    public async Task ExecuteAsync(long runId, long flowId, IReadOnlyList<WatchlistPlan> plans, Dictionary<string, string> outcomes, CancellationToken cancellationToken)
    {
        foreach (var plan in plans)
        {
            var failed = new Dictionary<WatchlistStep, ProviderException>(ReferenceEqualityComparer.Instance);
            foreach (var group in plan.Steps.GroupBy(s => (s.Side.Connection.Id, s.Write.AccountId)))
            {
                var list = group.ToList();
                var journal = new List<long>(list.Count);
                foreach (var step in list)
                {
                    journal.Add(await runs.InsertWriteAsync(WatchlistJournal.Row(runId, plan.Pair, step, clock.GetUtcNow()), cancellationToken));
                }

                var results = await WriteAsync(list[0].Side, list[0].Account, list, cancellationToken);
                for (var i = 0; i < list.Count; i++)
                {
                    if (results[i] is { } failure)
                    {
                        failed[list[i]] = failure;
                    }

                    var after = WatchlistJournal.Value(plan.Pair, list[i].Entry, list[i].Change.Add == results[i] is null).ToJson();
                    await runs.UpdateWriteAsync(journal[i], runId, results[i] is null ? WriteStatus.Written : WriteStatus.Failed, after, results[i]?.Message, results[i] is null ? clock.GetUtcNow() : null, CancellationToken.None);
                    outcomes[list[i].Write.IdempotencyKey] = results[i] is { } f ? WriteStatus.Failed + ": " + f.Message : WriteStatus.Written;
                }
            }

            if (!plan.BaselineChanged)
            {
                continue;
            }

            var next = plan.Agreed.Concat(plan.Steps.Where(s => s.Change.Add != failed.ContainsKey(s)).Select(s => s.Entry)).ToList();
            await baselines.ReplaceAsync(flowId, plan.Pair.Source.Id, plan.Pair.Target.Id, next, clock.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>The movie titles the profile's ledger holds as watched (a show is never "watched" as a whole here).</summary>
    private async Task<HashSet<Title>> WatchedAsync(long profileId, List<Title> titles, CancellationToken cancellationToken)
    {
        var movies = titles.Where(t => t.Kind == "movie").ToList();
        var watched = new HashSet<Title>(ReferenceEqualityComparer.Instance);
        if (movies.Count == 0)
        {
            return watched;
        }

        var known = await identity.LoadForAsync([.. movies.SelectMany(t => t.Ids).Distinct()], cancellationToken);
        var plain = known.Items.Where(i => i.Kind == MediaKind.Movie && i.Edition is null).Select(i => i.Id).ToHashSet();
        var itemsById = known.Ids.Where(p => plain.Contains(p.ItemId)).ToLookup(p => p.Id, p => p.ItemId);
        var states = await ledger.LoadStatesAsync(profileId, [.. itemsById.SelectMany(g => g).Distinct()], cancellationToken);
        foreach (var title in movies)
        {
            if (title.Ids.SelectMany(id => itemsById[id]).Any(itemId => states.TryGetValue(itemId, out var state) && state.Watched))
            {
                watched.Add(title);
            }
        }

        return watched;
    }

    private static async Task<IReadOnlyList<ProviderException?>> WriteAsync(SyncSide side, ProviderAccount account, List<WatchlistStep> steps, CancellationToken cancellationToken)
    {
        if (side.Provider is IWatchlistBatch batch)
        {
            return await batch.ChangeWatchlistAsync(account, [.. steps.Select(s => s.Change)], cancellationToken);
        }

        var watchlist = (IWatchlist)side.Provider;
        var results = new ProviderException?[steps.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, steps.Count), new ParallelOptions { MaxDegreeOfParallelism = Lookups, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                if (steps[i].Change.Add)
                {
                    await watchlist.AddToWatchlistAsync(account, steps[i].Change.Key, ct);
                }
                else
                {
                    await watchlist.RemoveFromWatchlistAsync(account, steps[i].Change.Key, ct);
                }
            }
            catch (ProviderException ex)
            {
                results[i] = ex;
            }
        });
        return results;
    }

    private static PlannedWrite Remove(Flow flow, ProfilePair pair, SyncSide side, long accountId, string key, Title title, string reason) =>
        Planned(flow, pair, side, accountId, key, title, WriteAction.WatchlistRemove, reason);

    private static PlannedWrite Planned(Flow flow, ProfilePair pair, SyncSide side, long accountId, string key, Title title, string action, string reason) =>
        new(pair.ProfileId, 0, title.Name, side.Connection.Id, side.Connection.Name, accountId, key, FlowFeature.Watchlist, action, new WriteValue(), new WriteValue(), reason, $"watchlist:{flow.Id}:{side.Connection.Id}:{accountId}:{key}:{action}", WatchState.Empty);

    private static bool SameTitles(IReadOnlyList<WatchlistBaselineEntry> a, IReadOnlyList<WatchlistBaselineEntry> b)
    {
        static HashSet<string> Keys(IEnumerable<WatchlistBaselineEntry> entries) => entries.Select(e => e.Kind + "|" + string.Join(",", e.Ids.Select(i => i.ToString()).Order(StringComparer.Ordinal))).ToHashSet(StringComparer.Ordinal);
        return a.Count == b.Count && Keys(a).SetEquals(Keys(b));
    }

    /// <summary>The entries that name a movie or show by at least one id this sync matches on; the others are listed as unresolved.</summary>
    private static List<(WatchlistEntry Entry, string Kind, List<ExternalId> Ids)> Usable(SyncSide side, IReadOnlyList<WatchlistEntry> list, List<UnresolvedItem> unresolved)
    {
        var usable = new List<(WatchlistEntry, string, List<ExternalId>)>();
        foreach (var entry in list)
        {
            var kind = entry.Type?.Trim().ToLowerInvariant();
            var ids = entry.Ids.Where(i => Schemes.Contains(i.Scheme) && i.Value.Length > 0).Distinct().ToList();
            string? reason = kind is not ("movie" or "show") ? "not a movie or show" : ids.Count == 0 ? UnresolvedReason.NoIds : null;
            if (reason is not null)
            {
                unresolved.Add(new UnresolvedItem(side.Connection.Id, side.Connection.Name, "watchlist:" + entry.Key, kind, entry.Title, reason, "a watchlist entry is matched by its tmdb, imdb or tvdb id as a movie or show", default, default, 1));
                continue;
            }

            usable.Add((entry, kind!, ids));
        }

        return usable;
    }

    /// <summary>Pairs the entries of both lists that share an id and kind; each entry is in one title.</summary>
    private static List<Title> Match(List<(WatchlistEntry Entry, string Kind, List<ExternalId> Ids)> source, List<(WatchlistEntry Entry, string Kind, List<ExternalId> Ids)> target)
    {
        var byId = new Dictionary<(string, ExternalId), int>();
        for (var i = 0; i < target.Count; i++)
        {
            foreach (var id in target[i].Ids)
            {
                byId.TryAdd((target[i].Kind, id), i);
            }
        }

        var taken = new HashSet<int>();
        var titles = new List<Title>();
        foreach (var (entry, kind, ids) in source)
        {
            var match = ids.Select(id => byId.TryGetValue((kind, id), out var i) ? i : -1).FirstOrDefault(i => i >= 0 && !taken.Contains(i), -1);
            if (match >= 0)
            {
                taken.Add(match);
                titles.Add(new Title(kind, [.. ids.Union(target[match].Ids)], entry.Title, entry, target[match].Entry));
            }
            else
            {
                titles.Add(new Title(kind, ids, entry.Title, entry, null));
            }
        }

        titles.AddRange(target.Where((_, i) => !taken.Contains(i)).Select(t => new Title(t.Kind, t.Ids, t.Entry.Title, null, t.Entry)));
        return titles;
    }

    /// <summary>An empty list where titles were agreed, or one that shrank sharply, is an error, never a mass removal.</summary>
    private void CheckListing(SyncSide side, string profile, int listed, int agreed)
    {
        if (listed == 0 && agreed > 0)
        {
            throw new SyncListingException($"{side.Connection.Name} listed an empty watchlist for {profile}, where both lists held {agreed} titles at the last run; an empty watchlist is treated as an error, never as a mass removal");
        }

        if (agreed >= rules.ShrinkMinimum && listed < agreed * rules.ShrinkRatio)
        {
            throw new SyncListingException($"{side.Connection.Name} listed {listed} watchlist titles for {profile}, where both lists held {agreed} at the last run; a watchlist that shrank this much is treated as an error, never as a mass removal");
        }
    }

    private sealed record Title(string Kind, IReadOnlyList<ExternalId> Ids, string? Name, WatchlistEntry? OnSource, WatchlistEntry? OnTarget);
}
