using Marquee.Bench.Sync;
using Marquee.Core.Items;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Bench.Tests;

/// <summary>
/// Guards what a full run holds at once: one profile's listings, baselines and states, never those of the profiles
/// before it. Every item a listing yields is watched through a weak reference; when the next profile's first listing
/// arrives, a full collection must have freed every item of the profiles before, so a later change cannot quietly keep
/// every profile's listings (about 180,000 items each on the reference library) in memory until the run ends. The
/// check is made at the first item of each later profile, after its first page was awaited.
/// </summary>
[Trait("Category", "Scenario")]
public sealed class HeldItemsTests
{
    [Fact]
    public async Task FullRun_HoldsOneProfileAtATime_TheItemsOfEarlierProfilesAreFreed()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 150, Shows: 6, LatencyMs: 0, Differing: 0.1), diverge: (0.1, 1));
        var (world, flow) = (set.World, set.Flow);
        Assert.Equal(RunStatus.Done, (await world.SyncAsync(flow, null, CancellationToken.None)).Run.Status);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));

        // Listings come per profile, both sides at once: a new profile starts with its first listing.
        var probe = new HeldItems();
        world.Timer.ListingStarted = probe.ListingStarted;
        world.Timer.ItemListed = probe.ItemListed;
        var rerun = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, rerun.Run.Status);
        Assert.Equal(0, rerun.Run.Written);
        Assert.Equal(world.Accounts.Count * 2, probe.Listings);
        Assert.True(probe.Checked >= world.Accounts.Count - 1, $"checked at {probe.Checked} profile starts");
        Assert.True(probe.ItemsSeen > 1_000, $"{probe.ItemsSeen} items listed");
        Assert.True(probe.MostHeld == 0, $"{probe.MostHeld} items of earlier profiles were still held when a later profile started");
    }

    /// <summary>
    /// A full run reads both accounts' every baseline while it holds the known key of every item (about 180,000 of each on
    /// the reference library, 6 MB of strings): a baseline's key must be the run's string of that key, not an equal one
    /// of its own. Fails when the baselines are read with keys of their own.
    /// </summary>
    [Fact]
    public async Task FullRerun_BaselinesKeepTheRunsKnownKeys_NotStringsOfTheirOwn()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 150, Shows: 6, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        Assert.Equal(RunStatus.Done, (await world.SyncAsync(flow, null, CancellationToken.None)).Run.Status);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));

        var known = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var keys = new List<string>();
        world.Timer.SnapshotLoaded = snapshot => known.UnionWith(snapshot.SourceItems.Select(s => s.LocalKey));
        world.Timer.BaselinesLoaded = baselines =>
        {
            lock (keys)
            {
                keys.AddRange(baselines.Keys);
            }
        };
        var rerun = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, rerun.Run.Status);
        Assert.Equal(0, rerun.Run.Written);
        Assert.True(keys.Count > 1_000, $"{keys.Count} baselines read");
        // The run knows one key per item and server (the lowest): an item's other copies (an edition beside its movie, a
        // few in this world) keep keys of their own. Read with keys of their own, every baseline's key is one.
        var own = keys.Count(k => !known.Contains(k));
        Assert.True(own <= keys.Count / 100, $"{own} of {keys.Count} baselines' keys were strings of their own");
    }

    /// <summary>
    /// An item listed on both servers of a Plex pair (one guid) is one title to the run: the entry made second keeps the
    /// string of the first when the two are equal. At the profile's save of links (both listings read, every entry made), a
    /// full collection must have freed one of the two titles of nearly every item listed on both sides. Fails when each
    /// side's entries keep their own.
    /// </summary>
    [Fact]
    public async Task FullRerun_AnItemListedOnBothSides_HoldsOneTitle()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 150, Shows: 6, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        Assert.Equal(RunStatus.Done, (await world.SyncAsync(flow, null, CancellationToken.None)).Run.Status);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));

        // The first profile's two listings: every title they list, watched until its save of links.
        var titles = new List<WeakReference<string>>();
        var listings = 0;
        var held = -1;
        world.Timer.ListingStarted = account => Interlocked.Increment(ref listings);
        world.Timer.ItemListed = (account, entry) =>
        {
            if (Volatile.Read(ref listings) <= 2 && entry.Item.Title is { } title)
            {
                lock (titles)
                {
                    titles.Add(new WeakReference<string>(title));
                }
            }
        };
        world.Timer.IdentitySaving = changes =>
        {
            if (held < 0)
            {
                held = Alive(titles);
            }
        };
        var rerun = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, rerun.Run.Status);
        Assert.True(titles.Count > 500, $"{titles.Count} titles listed");
        // Each side keeping its own: 585 of 610 held (the rest titles of items not matched); one title per item: 398 (items
        // listed on one side only, not matched, or whose copies differ in guid keep their own).
        Assert.True(held * 10 <= titles.Count * 8, $"{held} of the {titles.Count} titles both sides listed were held");
    }

    /// <summary>
    /// A full run matches each item as it is read and keeps only a compact entry of it, so the items as a listing yields
    /// them (with their ids, their show's parts and their labels) are freed page by page: neither side's listing is held as
    /// read. At the first item of each page, a full collection must have freed every item listed two pages or more before
    /// (the page before may still be in the provider's hands). Fails when a run collects a listing before matching it.
    /// </summary>
    [Fact]
    public async Task FullRun_MatchesWhileReading_TheItemsAsListedAreFreedPageByPage()
    {
        const int Page = 50;
        var size = new WorldSize(Movies: 300, Shows: 6, LatencyMs: 0, Differing: 0.1) { ListingPageSize = Page };
        await using var set = await TwoWayWorld.StartAsync(size, diverge: (0.1, 1));
        var (world, flow) = (set.World, set.Flow);
        var probe = new PagesHeld(Page);
        world.Timer.ListingStarted = probe.ListingStarted;
        world.Timer.ItemListed = probe.ItemListed;

        var run = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        Assert.True(run.Run.Written > 0, "the first run wrote nothing");
        Assert.Equal(world.Accounts.Count * 2, probe.Listings);
        Assert.True(probe.Checked >= world.Accounts.Count * 2 * 4, $"checked at {probe.Checked} page starts");
        // A run that holds its listing as read keeps every earlier item (hundreds here); one or two may outlive their page
        // for a moment in a slot of the runtime's that is not yet overwritten.
        Assert.True(probe.MostHeld <= 2, $"{probe.MostHeld} items listed two pages or more before were still held");
    }

    /// <summary>
    /// A run's first profile links every item it lists, and each entry holds the item's guid, library and file until its
    /// link is stored: then they go. At the profile's ledger commit (after the links are stored, before observing is
    /// stored and the writes are planned) a full collection must have freed the guids of nearly all listed items; the
    /// few left are those of items not matched (kept for the flow's unresolved list). Fails when the entries keep them.
    /// </summary>
    [Fact]
    public async Task FirstRun_LetsGoOfEachListedGuid_OnceTheLinksAreStored()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 300, Shows: 6, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        var guids = new List<WeakReference<string>>();
        int? held = null;
        world.Timer.ItemListed = (_, listed) =>
        {
            lock (guids)
            {
                if (held is null && listed.Item.RawId is { } guid)
                {
                    guids.Add(new WeakReference<string>(guid));
                }
            }
        };
        world.Timer.LedgerCommitting = commit =>
        {
            lock (guids)
            {
                if (held is null)
                {
                    held = Alive(guids);
                }
            }
        };

        var run = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        Assert.True(guids.Count > 500, $"{guids.Count} guids listed in the first profile");
        Assert.NotNull(held);
        Assert.True(held <= guids.Count / 20, $"{held} of the first profile's {guids.Count} guids were still held after its links were stored");
    }

    /// <summary>
    /// A run's first profile adds every id of the library to the identity index and links every listed item, and both are
    /// stored when the profile is read; the common forms (IMDb, TMDB, TVDB and Plex's own ids, and Plex guids) are held
    /// packed in two numbers until then, not as the texts the listing read. When the first profile's new ids and links
    /// are about to be stored, a full collection must have freed the texts of nearly all listed ids and guids of those
    /// forms. Fails when the new ids, or the links' guids, are kept as texts.
    /// </summary>
    [Fact]
    public async Task FirstRun_HoldsNewIdsAndGuidsPacked_NotAsText_UntilTheyAreStored()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 300, Shows: 6, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        var values = new List<WeakReference<string>>();
        var guids = new List<WeakReference<string>>();
        int? held = null;
        int? guidsHeld = null;
        var newIds = 0;
        world.Timer.ItemListed = (account, listed) =>
        {
            lock (values)
            {
                foreach (var id in held is null ? listed.Item.Ids : [])
                {
                    if (IdKey.TryPack(id, out _))
                    {
                        values.Add(new WeakReference<string>(id.Value));
                    }
                }

                if (held is null && listed.Item.RawId is { } guid && IdKey.TryPackPlexGuid(guid, out _))
                {
                    guids.Add(new WeakReference<string>(guid));
                }
            }
        };
        world.Timer.IdentitySaving = changes =>
        {
            lock (values)
            {
                if (held is null)
                {
                    held = Alive(values);
                    guidsHeld = Alive(guids);
                    newIds = changes.NewIds.Count;
                }
            }
        };

        var run = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        Assert.True(values.Count > 500, $"{values.Count} ids listed in the first profile");
        Assert.True(newIds > values.Count / 4, $"{newIds} new ids stored for {values.Count} listed");
        Assert.NotNull(held);
        Assert.True(held <= values.Count / 20, $"{held} of the first profile's {values.Count} listed ids were still held as text when its new ids were about to be stored");
        Assert.True(guids.Count > 500, $"{guids.Count} Plex guids listed in the first profile");
        Assert.True(guidsHeld <= guids.Count / 20, $"{guidsHeld} of the first profile's {guids.Count} Plex guids were still held as text when its links were about to be stored");
    }

    /// <summary>
    /// A later full run finds most links stored as listed (the same item, kind, library, guid and file: the fingerprint
    /// stored with each link), and such an entry keeps none of them from the moment it is matched. When the first profile's
    /// links are about to be stored (both listings read) a full collection must have freed the guids of nearly all listed
    /// items, and no link is stored again but those of movies' editions (each kept as an item of its own, whose link is
    /// not checked). Each entry keeps the key string the run read from the store, so the listing's own are freed too. Fails
    /// when the entries keep the guids until their links are stored, or the keys as listed.
    /// </summary>
    [Fact]
    public async Task FullRerun_LetsGoOfTheGuidOfEachLinkStoredAsListed_WhenItIsMatched()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 300, Shows: 6, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        Assert.Equal(RunStatus.Done, (await world.SyncAsync(flow, null, CancellationToken.None)).Run.Status);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var guids = new List<WeakReference<string>>();
        var keys = new List<WeakReference<string>>();
        int? held = null;
        int? keysHeld = null;
        int? links = null;
        var editions = 0;
        world.Timer.ItemListed = (_, listed) =>
        {
            lock (guids)
            {
                if (held is null && listed.Item.RawId is { } guid)
                {
                    guids.Add(new WeakReference<string>(guid));
                    keys.Add(new WeakReference<string>(listed.Item.LocalKey));
                    editions += listed.Item.Edition is null ? 0 : 1;
                }
            }
        };
        world.Timer.IdentitySaving = changes =>
        {
            lock (guids)
            {
                if (held is null)
                {
                    held = Alive(guids);
                    keysHeld = keys.Count(w => w.TryGetTarget(out _));
                    links = changes.SourceItems.Count();
                }
            }
        };

        var rerun = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal((RunStatus.Done, 0), (rerun.Run.Status, rerun.Run.Written));
        Assert.True(guids.Count > 500, $"{guids.Count} guids listed in the first profile");
        Assert.NotNull(held);
        Assert.True(held <= guids.Count / 20, $"{held} of the first profile's {guids.Count} guids were still held when its links were about to be stored");
        Assert.InRange(links ?? -1, 0, editions);

        // Each entry keeps the run's own string of its key (the one read from the store), not the one its listing read:
        // held are the keys of unresolved items (kept for the flow's list), of editions, and at most a page still in hand.
        Assert.True(keysHeld <= rerun.Unresolved.Count + editions + (keys.Count / 20), $"{keysHeld} of the first profile's {keys.Count} listed keys were still held beside the known ones ({rerun.Unresolved.Count} unresolved, {editions} editions)");
    }

    /// <summary>
    /// In a full rerun every link is stored as listed, so a matched entry keeps nothing of its item's guid: the guids are
    /// freed page by page while the listing is read, not when it ends. The entries of one item are told apart by their
    /// shared-state key (a Plex item's guid), and a table keyed by that text kept every listed guid until the listing was
    /// done. At the first item of each page of the first profile's listings, a full collection must have freed the guids
    /// listed two pages or more before (editions aside: an edition kept as an item of its own keeps its link's guid until it
    /// is stored), at most checks. Unlike the items made from them, the guids are also in the pages as the provider parsed
    /// them, and now and then a page or two of them outlive their turn for a few checks (45 to 98 guids held at 1 to 3 of
    /// 18 checks, in three runs of six; freed by the next checks): at most two pages, at a third of the checks. Fails when
    /// the run keeps the guids as keys (every guid before held at every check: 387 at the last).
    /// </summary>
    [Fact]
    public async Task FullRerun_LetsGoOfEachGuidWhileTheListingIsRead()
    {
        const int Page = 50;
        var size = new WorldSize(Movies: 300, Shows: 6, LatencyMs: 0, Differing: 0.1) { ListingPageSize = Page };
        await using var set = await TwoWayWorld.StartAsync(size);
        var (world, flow) = (set.World, set.Flow);
        Assert.Equal(RunStatus.Done, (await world.SyncAsync(flow, null, CancellationToken.None)).Run.Status);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        // An edition's entry may keep its guid (its link is stored again): only the others are watched, in the first profile's two listings.
        var probe = new PagesHeld(Page, state => state.Item is { Edition: null, SharedStateKey: { } guid } ? guid : null, listingsWatched: 2);
        world.Timer.ListingStarted = probe.ListingStarted;
        world.Timer.ItemListed = probe.ItemListed;

        var rerun = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal((RunStatus.Done, 0), (rerun.Run.Status, rerun.Run.Written));
        Assert.Equal(2, probe.ListingsWatched);
        Assert.True(probe.Watched > 500, $"{probe.Watched} guids listed in the first profile");
        Assert.True(probe.Checked >= 8, $"checked at {probe.Checked} page starts");
        Assert.True(probe.CheckedHolding <= probe.Checked / 3, $"guids listed two pages or more before were still held at {probe.CheckedHolding} of {probe.Checked} checks (at most {probe.MostHeld})");
        Assert.True(probe.MostHeld <= (2 * Page) + 2, $"{probe.MostHeld} guids listed two pages or more before were still held");
    }

    /// <summary>
    /// A first run leaves a baseline for every item both accounts listed; they are made as the store writes them, from the
    /// entries, not held as a list beside the entries (about 180,000 rows on the reference library's first profile, with
    /// an observed state each). At the first profile's ledger commit the baselines must be a sequence not yet made, and
    /// walking it must give one row per listed copy of the profile. Fails when the run gathers them into a list first.
    /// </summary>
    [Fact]
    public async Task FirstRun_MakesEachBaselineAsTheStoreWritesIt()
    {
        await using var set = await TwoWayWorld.StartAsync(new WorldSize(Movies: 150, Shows: 6, LatencyMs: 0, Differing: 0.1));
        var (world, flow) = (set.World, set.Flow);
        var listed = 0;
        var listedAtCommit = 0;
        bool? made = null;
        var rows = new List<BaselineRow>();
        world.Timer.ItemListed = (_, _) => Interlocked.Increment(ref listed);
        world.Timer.LedgerCommitting = commit =>
        {
            if (made is null)
            {
                made = commit.Baselines.TryGetNonEnumeratedCount(out _);
                rows.AddRange(commit.Baselines);
                listedAtCommit = Volatile.Read(ref listed);
            }
        };

        var run = await world.SyncAsync(flow, null, CancellationToken.None);

        Assert.Equal(RunStatus.Done, run.Run.Status);
        Assert.False(made, "the first profile's baselines were held as a list before they were stored");

        // Every item the profile listed on either side has its baseline, but those not matched (the flow's unresolved).
        Assert.True(rows.Count > 500, $"{rows.Count} baselines at the first profile's commit");
        Assert.InRange(rows.Count, listedAtCommit * 9 / 10, listedAtCommit);
        Assert.Equal(2, rows.Select(r => r.AccountId).Distinct().Count());
        Assert.Equal(rows.Count, rows.Select(r => (r.AccountId, r.LocalKey)).Distinct().Count());
    }

    /// <summary>How many of <paramref name="references"/> still reach their object after full, blocking collections (finalizers run in between).</summary>
    private static int Alive<T>(IEnumerable<WeakReference<T>> references)
        where T : class
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        return references.Count(w => w.TryGetTarget(out _));
    }

    /// <summary>
    /// Watches each listing's items (or what <c>watch</c> picks of each, when it picks something) by weak reference and
    /// counts, at each page start of a listing, those of its pages two or more back still alive. Both sides of a profile
    /// are read at once, so each listing (by its account) is kept apart; only the first <c>listingsWatched</c> are watched.
    /// </summary>
    private sealed class PagesHeld(int page, Func<SourceItemState, object?>? watch = null, int listingsWatched = int.MaxValue)
    {
        private readonly Dictionary<ProviderAccount, Listing> _listings = new(ReferenceEqualityComparer.Instance);

        public int Listings { get; private set; }

        /// <summary>Gets how many listings were watched (the first <c>listingsWatched</c>).</summary>
        public int ListingsWatched => _listings.Count;

        /// <summary>Gets how many objects were watched: by default each item as listed, else what <c>watch</c> picks of it.</summary>
        public int Watched { get; private set; }

        public int Checked { get; private set; }

        /// <summary>Gets at how many checks more than two of the objects watched were still held.</summary>
        public int CheckedHolding { get; private set; }

        public int MostHeld { get; private set; }

        public void ListingStarted(ProviderAccount account)
        {
            lock (_listings)
            {
                if (_listings.Count < listingsWatched)
                {
                    _listings[account] = new Listing();
                }

                Listings++;
            }
        }

        public void ItemListed(ProviderAccount account, SourceItemState state)
        {
            lock (_listings)
            {
                if (!_listings.TryGetValue(account, out var listing))
                {
                    return;
                }

                if (listing.Count >= 2 * page && listing.Count % page == 0)
                {
                    var before = listing.Count - (2 * page);
                    var held = Alive(listing.Objects.Where(o => o.Index < before).Select(o => o.Object));
                    MostHeld = Math.Max(MostHeld, held);
                    CheckedHolding += held > 2 ? 1 : 0;
                    Checked++;
                }

                if ((watch is null ? state.Item : watch(state)) is { } watched)
                {
                    listing.Objects.Add((listing.Count, new WeakReference<object>(watched)));
                    Watched++;
                }

                listing.Count++;
            }
        }

        /// <summary>A listing watched: how many items it gave, and the objects watched of them, by the item's position.</summary>
        private sealed class Listing
        {
            public int Count { get; set; }

            public List<(int Index, WeakReference<object> Object)> Objects { get; } = [];
        }
    }

    private sealed class HeldItems
    {
        private readonly List<WeakReference<SourceItem>> _earlier = [];
        private readonly List<WeakReference<SourceItem>> _current = [];
        private bool _profileStarted;

        public int Listings { get; private set; }

        public int Checked { get; private set; }

        public int ItemsSeen { get; private set; }

        public int MostHeld { get; private set; }

        public void ListingStarted(ProviderAccount account)
        {
            lock (_current)
            {
                // Every second listing starts a profile.
                if (Listings % 2 == 0 && Listings > 0)
                {
                    _earlier.AddRange(_current);
                    _current.Clear();
                    _profileStarted = true;
                }

                Listings++;
            }
        }

        public void ItemListed(ProviderAccount account, SourceItemState state)
        {
            lock (_current)
            {
                // The first item of a new profile arrives after its first page was awaited: the call that finished the
                // profile before has returned by then, so what the profiles before listed must be gone.
                if (_profileStarted)
                {
                    _profileStarted = false;
                    MostHeld = Math.Max(MostHeld, Alive(_earlier));
                    Checked++;
                }

                _current.Add(new WeakReference<SourceItem>(state.Item));
                ItemsSeen++;
            }
        }
    }
}
