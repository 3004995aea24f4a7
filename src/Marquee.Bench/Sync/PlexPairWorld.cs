using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Bench.Sync;

/// <summary>
/// The simulated half of the reference world: two Plex servers with the same media under other ratingKeys and partly
/// other agents, one plex.tv in front of both, what the scenario changed on them and what both must show after a
/// sync. Runs in the benchmark's own process (tests) or in a process of its own (<see cref="RemoteSimWorld"/>), so
/// the benchmark can measure Marquee without the simulators.
/// </summary>
public sealed class PlexPairWorld : ISimWorld
{
    public const string Kind = "plex-pair";

    private readonly List<Expectation> _expected = [];
    private readonly Dictionary<(string Account, PlexItem Left, bool Rating), int> _expectedAt = [];
    private readonly PlexTvFederation _federation;

    private PlexPairWorld(PlexSimulator left, PlexSimulator right, PlexTvFederation federation, WorldSize size)
    {
        Left = left;
        Right = right;
        _federation = federation;
        Size = size;
        Pairs = PairItems(left, right);
        Info = new SimWorldInfo(
            [
                new SimConnection("left", "plex", new Dictionary<string, string?> { ["url"] = left.BaseUri.ToString(), ["token"] = left.Owner.AccountToken }),
                new SimConnection("right", "plex", new Dictionary<string, string?> { ["url"] = right.BaseUri.ToString(), ["token"] = right.Owner.AccountToken }),
            ],
            left.Accounts.Select(a => a.Name).ToList(),
            left.Owner.Name,
            federation.Uri.ToString(),
            left.Control.Now);
    }

    public PlexSimulator Left { get; }

    public PlexSimulator Right { get; }

    public WorldSize Size { get; }

    public SimWorldInfo Info { get; }

    /// <summary>Gets the items both servers have under an unambiguous plex:// guid: the ones whose final state is checked.</summary>
    public IReadOnlyList<(PlexItem Left, PlexItem Right)> Pairs { get; }

    public static async Task<PlexPairWorld> StartAsync(WorldSize size, DateTimeOffset? clockStart, CancellationToken cancellationToken)
    {
        PlexSimulatorOptions Options(int variant) => new()
        {
            Seed = 23,
            Variant = variant,
            Movies = size.Movies,
            Shows = size.Shows,
            HomeUsers = 1,
            Friends = 3,
            ClockStart = clockStart,
            ServerName = variant == 0 ? "bench-left" : "bench-right",
        };

        var left = await PlexSimulator.StartAsync(Options(0), cancellationToken);
        var right = await PlexSimulator.StartAsync(Options(1), cancellationToken);
        var federation = await PlexTvFederation.StartAsync([left, right], cancellationToken);
        return new PlexPairWorld(left, right, federation, size);
    }

    public Task SetLatencyAsync(int ms)
    {
        Left.Control.SetLatency(ms);
        Right.Control.SetLatency(ms);
        return Task.CompletedTask;
    }

    public Task AdvanceClockAsync(TimeSpan by)
    {
        Left.Control.AdvanceClock(by);
        Right.Control.AdvanceClock(by);
        return Task.CompletedTask;
    }

    public Task ResetCountsAsync()
    {
        Left.Control.ResetCounts();
        Right.Control.ResetCounts();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, long>> CountsAsync()
    {
        var all = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, sim) in new[] { ("left", Left), ("right", Right) })
        {
            foreach (var (endpoint, count) in sim.Control.RequestCounts)
            {
                all[$"{name} {endpoint}"] = count;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(all);
    }

    public Task<int> DivergeAsync(double share, int seed, bool perItem, IReadOnlyList<string>? accounts) => Task.FromResult(Diverge(share, seed, perItem, accounts));

    public Task<int> WatchOnLeftAsync(string account, int count) => Task.FromResult(WatchOnLeft(account, count));

    public Task<int> CountDisagreementsAsync(IReadOnlyList<string> accounts) => Task.FromResult(CountDisagreements(accounts));

    public Task<IReadOnlyList<Check>> CheckStatesAsync(IReadOnlyList<string> accounts) => Task.FromResult(CheckStates(accounts));

    public Task<long> ListingFloorAsync(IReadOnlyList<string> accounts, bool incremental) => Task.FromResult(ListingFloor(accounts, incremental));

    public Task<IReadOnlyDictionary<string, long>> LibrarySizeAsync() => Task.FromResult(LibrarySize());

    public Task<SimProcessStats?> StatsAsync(bool resetPeak) => Task.FromResult<SimProcessStats?>(null);

    /// <summary>
    /// Changes <paramref name="share"/> of the (account, item) pairs on one side or the other: an item unwatched on
    /// both becomes watched on one side, any other gets a new rating on one side. Records what both sides must show
    /// after a sync. With <paramref name="perItem"/>, the share is of items, each changed for one random account.
    /// </summary>
    private int Diverge(double share, int seed, bool perItem = false, IReadOnlyList<string>? accounts = null)
    {
        var random = new Random(seed);
        var names = accounts ?? Left.Accounts.Select(a => a.Name).ToList();
        var changed = 0;
        foreach (var (l, r) in Pairs)
        {
            if (perItem)
            {
                if (random.NextDouble() < share)
                {
                    Change(names[random.Next(names.Count)], l, r, random);
                    changed++;
                }

                continue;
            }

            foreach (var name in names)
            {
                if (random.NextDouble() < share)
                {
                    Change(name, l, r, random);
                    changed++;
                }
            }
        }

        return changed;
    }

    /// <summary>Marks <paramref name="count"/> items watched for one account on the left only (all unwatched on both sides before).</summary>
    private int WatchOnLeft(string account, int count)
    {
        var la = Left.Control.Account(account);
        var ra = Right.Control.Account(account);
        var done = 0;
        foreach (var (l, r) in Pairs)
        {
            if (done == count)
            {
                break;
            }

            if (Left.State.State(la, l).ViewCount == 0 && Right.State.State(ra, r).ViewCount == 0)
            {
                Left.State.Scrobble(la, l);
                Replace(new Expectation(account, l, r, Watched: true, Rating: null));
                done++;
            }
        }

        return done;
    }

    /// <summary>Counts the (account, item) pairs on which the two servers disagree (watched or rating).</summary>
    private int CountDisagreements(IReadOnlyList<string> accounts) => accounts.Sum(name =>
    {
        var la = Left.Control.Account(name);
        var ra = Right.Control.Account(name);
        return Pairs.Count(p => Left.State.State(la, p.Left) is var ls && Right.State.State(ra, p.Right) is var rs && ((ls.ViewCount > 0) != (rs.ViewCount > 0) || ls.UserRating != rs.UserRating));
    });

    /// <summary>Checks every paired item for every account: both sides agree, and every recorded change arrived.</summary>
    private IReadOnlyList<Check> CheckStates(IReadOnlyList<string> accounts)
    {
        var disagree = 0;
        string? firstDisagreement = null;
        foreach (var name in accounts)
        {
            var la = Left.Control.Account(name);
            var ra = Right.Control.Account(name);
            foreach (var (l, r) in Pairs)
            {
                var ls = Left.State.State(la, l);
                var rs = Right.State.State(ra, r);
                if ((ls.ViewCount > 0) != (rs.ViewCount > 0) || ls.UserRating != rs.UserRating)
                {
                    disagree++;
                    if (disagree <= 3)
                    {
                        var changed = _expected.Any(e => e.Account == name && e.Left == l) ? "changed" : "unchanged";
                        firstDisagreement = (firstDisagreement is null ? string.Empty : firstDisagreement + "; ") + $"{name} {Where(l)} ({changed}): left {Describe(ls)}, right {Describe(rs)}";
                    }
                }
            }
        }

        var missing = 0;
        string? firstMissing = null;
        foreach (var e in _expected)
        {
            var ls = Left.State.State(Left.Control.Account(e.Account), e.Left);
            var rs = Right.State.State(Right.Control.Account(e.Account), e.Right);
            var ok = e.Watched is { } w
                ? (ls.ViewCount > 0) == w && (rs.ViewCount > 0) == w
                : ls.UserRating == e.Rating && rs.UserRating == e.Rating;
            if (!ok)
            {
                missing++;
                firstMissing ??= $"{e.Account} {Where(e.Left)} expected {(e.Watched is not null ? "watched" : $"rating {e.Rating}")}: left {Describe(ls)}, right {Describe(rs)}";
            }
        }

        return
        [
            new Check("both servers agree on every paired item", disagree == 0, disagree == 0 ? $"{Pairs.Count} items x {accounts.Count} accounts" : $"{disagree} differ, e.g. {firstDisagreement}"),
            new Check("every change arrived (expected final states)", missing == 0, missing == 0 ? $"{_expected.Count} changes" : $"{missing} of {_expected.Count} missing, e.g. {firstMissing}"),
        ];
    }

    /// <summary>Listing pages really needed for a full read by these accounts: per visible library, movies or shows and episodes.</summary>
    private long ListingFloor(IReadOnlyList<string> accounts, bool incremental)
    {
        var floor = 0L;
        foreach (var sim in new[] { Left, Right })
        {
            foreach (var name in accounts)
            {
                var account = sim.Control.Account(name);
                foreach (var section in sim.State.Sections.Where(s => Visible(account, s.Title)))
                {
                    if (incremental)
                    {
                        // Only what changed: one (usually empty) page per library.
                        floor += 1;
                    }
                    else if (section.Type == "movie")
                    {
                        floor += Pages(sim.State.ItemsOfType(section.Id, ItemType.Movie).Count);
                    }
                    else
                    {
                        floor += Pages(sim.State.ItemsOfType(section.Id, ItemType.Show).Count) + Pages(sim.State.ItemsOfType(section.Id, ItemType.Episode).Count);
                    }
                }
            }
        }

        return floor;
    }

    private IReadOnlyDictionary<string, long> LibrarySize()
    {
        var state = Left.State;
        long Count(ItemType type) => state.Sections.Sum(s => (long)state.ItemsOfType(s.Id, type).Count);
        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["movies"] = Count(ItemType.Movie),
            ["shows"] = Count(ItemType.Show),
            ["episodes"] = Count(ItemType.Episode),
            ["accounts per server"] = Left.Accounts.Count,
            ["paired items checked"] = Pairs.Count,
            ["latency ms"] = Size.LatencyMs,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _federation.DisposeAsync();
        await Left.DisposeAsync();
        await Right.DisposeAsync();
    }

    // Friends see every library except "Movies 4K" (the simulator's sharing, see its README).
    private static bool Visible(SimAccount account, string section) => account.Kind != SimAccountKind.Friend || section != "Movies 4K";

    private static string Where(PlexItem item) => item.Type == ItemType.Episode
        ? $"'{item.Show!.Title}' S{item.Parent!.Index}E{item.Index} ({item.RatingKey})"
        : $"'{item.Title}' ({item.RatingKey})";

    private static long Pages(long items) => Math.Max(1, (items + ReferenceWorld.PageSize - 1) / ReferenceWorld.PageSize);

    private static string Describe(UserState s) => $"views {s.ViewCount}, rating {s.UserRating?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";

    /// <summary>The items both servers have under an unambiguous plex:// guid, in a stable order.</summary>
    public static List<(PlexItem, PlexItem)> PairItems(PlexSimulator left, PlexSimulator right)
    {
        var l = Keyed(left);
        var r = Keyed(right);
        return l.Where(p => r.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Value, r[p.Key])).ToList();
    }

    /// <summary>Leaves of "Movies" and "TV Shows" with a plex:// guid of their own (no edition, 4K copy or two-episode file shares it).</summary>
    private static Dictionary<string, PlexItem> Keyed(PlexSimulator sim)
    {
        var leaves = sim.State.Sections
            .SelectMany(s => sim.State.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Episode))
            .ToList();
        var sharedGuids = leaves.GroupBy(i => i.PrimaryGuid).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var sharedParts = leaves.Where(i => i.PartId != 0).GroupBy(i => i.PartId).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        static string KeyOf(PlexItem item) => item.Type == ItemType.Movie
            ? $"m|{item.Title}|{item.Year}"
            : $"e|{item.Show!.Title}|{item.Parent!.Index}|{item.Index}";

        // A title shared by two items anywhere (another library, another agent) is left out on both servers.
        var duplicates = leaves.GroupBy(KeyOf, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var keyed = new Dictionary<string, PlexItem>(StringComparer.Ordinal);
        foreach (var item in leaves)
        {
            var section = sim.State.Section(item.SectionId)!.Title;
            if (section is not ("Movies" or "TV Shows") || !item.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal)
                || item.EditionTitle is not null || sharedGuids.Contains(item.PrimaryGuid) || sharedParts.Contains(item.PartId))
            {
                continue;
            }

            keyed[KeyOf(item)] = item;
        }

        foreach (var key in duplicates)
        {
            keyed.Remove(key);
        }

        return keyed;
    }

    private void Change(string name, PlexItem l, PlexItem r, Random random)
    {
        var la = Left.Control.Account(name);
        var ra = Right.Control.Account(name);
        var onLeft = random.Next(2) == 0;
        var (sim, account, item) = onLeft ? (Left, la, l) : (Right, ra, r);
        var ls = Left.State.State(la, l);
        var rs = Right.State.State(ra, r);
        if (ls.ViewCount == 0 && rs.ViewCount == 0)
        {
            sim.State.Scrobble(account, item);
            Replace(new Expectation(name, l, r, Watched: true, Rating: null));
            return;
        }

        var current = sim.State.State(account, item).UserRating;
        double rating;
        do
        {
            rating = random.Next(1, 11);
        }
        while (rating == current);
        sim.State.Rate(account, item, rating, sim.State.Now);
        Replace(new Expectation(name, l, r, Watched: null, Rating: rating));
    }

    /// <summary>Records an expectation, replacing an earlier one of the same account, item and kind (watched or rating).</summary>
    private void Replace(Expectation e)
    {
        var key = (e.Account, e.Left, e.Watched is null);
        if (_expectedAt.TryGetValue(key, out var at))
        {
            _expected[at] = e;
            return;
        }

        _expectedAt[key] = _expected.Count;
        _expected.Add(e);
    }
}

/// <summary>What both servers must show for one account and item after a sync.</summary>
public sealed record Expectation(string Account, PlexItem Left, PlexItem Right, bool? Watched, double? Rating);
