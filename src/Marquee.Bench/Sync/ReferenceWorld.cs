using Marquee.Bench.Infrastructure;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Sync;
using Marquee.Hosting;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Bench.Sync;

/// <summary>Size of the reference library and of the differences between the two servers.</summary>
public sealed record WorldSize(int Movies, int Shows, int LatencyMs, double Differing);

/// <summary>
/// Two simulated Plex servers with the same media under other ratingKeys and partly other agents (one plex.tv in front
/// of both), the real Plex provider over loopback HTTP, and a real SQLite store in its own folder.
/// </summary>
public sealed class ReferenceWorld : IAsyncDisposable
{
    public const int PageSize = 1000;

    private static readonly DateTimeOffset ClockStart = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private readonly List<Expectation> _expected = [];
    private readonly Dictionary<(string Account, PlexItem Left, bool Rating), int> _expectedAt = [];
    private ServiceProvider? _services;
    private PlexTvFederation? _federation;

    private ReferenceWorld(PlexSimulator left, PlexSimulator right, string dataFolder, WorldSize size)
    {
        Left = left;
        Right = right;
        DataFolder = dataFolder;
        Size = size;
        Pairs = PairItems(left, right);
    }

    public PlexSimulator Left { get; }

    public PlexSimulator Right { get; }

    public string DataFolder { get; }

    public WorldSize Size { get; }

    public PhaseTimer Timer { get; } = new();

    /// <summary>Gets the items both servers have under an unambiguous plex:// guid: the ones whose final state is checked.</summary>
    public IReadOnlyList<(PlexItem Left, PlexItem Right)> Pairs { get; }

    public IReadOnlyList<Expectation> Expected => _expected;

    public IServiceProvider Services => _services!;

    public static async Task<ReferenceWorld> StartAsync(WorldSize size, string dataFolder, CancellationToken cancellationToken)
    {
        PlexSimulatorOptions Options(int variant) => new()
        {
            Seed = 23,
            Variant = variant,
            Movies = size.Movies,
            Shows = size.Shows,
            HomeUsers = 1,
            Friends = 3,
            ClockStart = ClockStart,
            ServerName = variant == 0 ? "bench-left" : "bench-right",
        };

        var left = await PlexSimulator.StartAsync(Options(0), cancellationToken);
        var right = await PlexSimulator.StartAsync(Options(1), cancellationToken);
        var world = new ReferenceWorld(left, right, dataFolder, size);
        world._federation = await PlexTvFederation.StartAsync([left, right], cancellationToken);
        var config = new Dictionary<string, string?>
        {
            ["Marquee:DataFolder"] = dataFolder,
            ["Marquee:Plex:PlexTvUrl"] = world._federation.Uri.ToString(),
            ["Marquee:Plex:PageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Marquee:Plex:RetryDelay"] = "00:00:00.200",
        };
        world._services = await StartMarqueeAsync(config, left.State.Clock, world.Timer, cancellationToken);
        await using var scope = world._services.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        await connections.CreateAsync("left", "plex", new() { ["url"] = left.BaseUri.ToString(), ["token"] = left.Owner.AccountToken }, cancellationToken);
        await connections.CreateAsync("right", "plex", new() { ["url"] = right.BaseUri.ToString(), ["token"] = right.Owner.AccountToken }, cancellationToken);
        return world;
    }

    /// <summary>Marquee's services over <paramref name="config"/>, on the simulators' clock, its store migrated; <paramref name="timer"/> splits runs into phases.</summary>
    public static async Task<ServiceProvider> StartMarqueeAsync(Dictionary<string, string?> config, TimeProvider clock, PhaseTimer? timer, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        services.AddMarqueeServices(configuration, _ => null);
        if (timer is not null)
        {
            services.AddPhaseTiming(timer);
        }

        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MarqueeStartup>().InitializeAsync(cancellationToken);
        return provider;
    }

    public void SetLatency(int ms)
    {
        Left.Control.SetLatency(ms);
        Right.Control.SetLatency(ms);
    }

    public void AdvanceClock(TimeSpan by)
    {
        Left.Control.AdvanceClock(by);
        Right.Control.AdvanceClock(by);
    }

    public DateTimeOffset Now => Left.Control.Now;

    public void ResetCounts()
    {
        Left.Control.ResetCounts();
        Right.Control.ResetCounts();
        Timer.Reset();
    }

    public IReadOnlyDictionary<string, long> SimulatorCounts()
    {
        var all = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, sim) in new[] { ("left", Left), ("right", Right) })
        {
            foreach (var (endpoint, count) in sim.Control.RequestCounts)
            {
                all[$"{name} {endpoint}"] = count;
            }
        }

        return all;
    }

    public async Task<Flow> AddFlowAsync(bool twoWay, IReadOnlyList<string> features, IReadOnlyList<string>? profiles, CancellationToken cancellationToken)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FlowService>().CreateAsync(
            new FlowInput { Name = "bench", From = "left", To = "right", TwoWay = twoWay, Features = features, Mode = FlowMode.Mirror, Filters = new FlowFilters { Profiles = profiles ?? [] } },
            cancellationToken);
    }

    public async Task<SyncReport> SyncAsync(Flow flow, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SyncService>().RunAsync(flow, new SyncOptions { Trigger = "bench", Since = since }, null, cancellationToken);
    }

    /// <summary>
    /// Changes <paramref name="share"/> of the (account, item) pairs on one side or the other: an item unwatched on
    /// both becomes watched on one side, any other gets a new rating on one side. Records what both sides must show
    /// after a sync. With <paramref name="perItem"/>, the share is of items, each changed for one random account.
    /// </summary>
    public int Diverge(double share, int seed, bool perItem = false, IReadOnlyList<string>? accounts = null)
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
    public int WatchOnLeft(string account, int count)
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
    public int CountDisagreements(IReadOnlyCollection<string> accounts) => accounts.Sum(name =>
    {
        var la = Left.Control.Account(name);
        var ra = Right.Control.Account(name);
        return Pairs.Count(p => Left.State.State(la, p.Left) is var ls && Right.State.State(ra, p.Right) is var rs && ((ls.ViewCount > 0) != (rs.ViewCount > 0) || ls.UserRating != rs.UserRating));
    });

    /// <summary>Checks every paired item for every account: both sides agree, and every recorded change arrived.</summary>
    public IReadOnlyList<Check> CheckStates(IReadOnlyCollection<string> accounts)
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
    public long ListingFloor(IReadOnlyCollection<string> accounts, bool incremental)
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

    public IReadOnlyDictionary<string, long> LibrarySize()
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
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_federation is not null)
        {
            await _federation.DisposeAsync();
        }

        await Left.DisposeAsync();
        await Right.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    // Friends see every library except "Movies 4K" (the simulator's sharing, see its README).
    private static bool Visible(SimAccount account, string section) => account.Kind != SimAccountKind.Friend || section != "Movies 4K";

    private static string Where(PlexItem item) => item.Type == ItemType.Episode
        ? $"'{item.Show!.Title}' S{item.Parent!.Index}E{item.Index} ({item.RatingKey})"
        : $"'{item.Title}' ({item.RatingKey})";

    private static long Pages(long items) => Math.Max(1, (items + PageSize - 1) / PageSize);

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
