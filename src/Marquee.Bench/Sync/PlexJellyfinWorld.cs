using Marquee.Simulators.Jellyfin;
using Marquee.Simulators.Jellyfin.Model;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;

namespace Marquee.Bench.Sync;

/// <summary>
/// A Plex server and a Jellyfin server with the same media (the Jellyfin simulator generates the Plex simulator's
/// library from the same seed: titles and external ids), users named like the Plex accounts, and watch state that
/// differs between them. The world of the peer comparison (2,000 movies, 60 shows).
/// </summary>
public sealed class PlexJellyfinWorld : ISimWorld
{
    public const string Kind = "plex-jellyfin";

    private const int Seed = 29;

    private readonly List<(string Account, PlexItem Plex, JfItem Jellyfin)> _expected = [];

    private PlexJellyfinWorld(PlexSimulator plex, PlexTvFederation federation, JellyfinSimulator jellyfin, WorldSize size)
    {
        Plex = plex;
        Federation = federation;
        Jellyfin = jellyfin;
        Size = size;
        Pairs = PairItems(plex, jellyfin);
        Info = new SimWorldInfo(
            [
                new SimConnection("plex", "plex", new Dictionary<string, string?> { ["url"] = plex.BaseUri.ToString(), ["token"] = plex.Owner.AccountToken }),
                new SimConnection("jellyfin", "jellyfin", new Dictionary<string, string?> { ["url"] = jellyfin.BaseUri.ToString(), ["apiKey"] = jellyfin.ApiKey }),
            ],
            plex.Accounts.Select(a => a.Name).ToList(),
            plex.Owner.Name,
            federation.Uri.ToString(),
            plex.Control.Now);
    }

    public PlexSimulator Plex { get; }

    public PlexTvFederation Federation { get; }

    public JellyfinSimulator Jellyfin { get; }

    public WorldSize Size { get; }

    public SimWorldInfo Info { get; }

    /// <summary>Gets the movies and episodes both servers hold once each, matched by Plex (no 4K copy, edition, two-episode file or unmatched item).</summary>
    public IReadOnlyList<(PlexItem Plex, JfItem Jellyfin)> Pairs { get; }

    public static async Task<PlexJellyfinWorld> StartAsync(WorldSize size, DateTimeOffset? clockStart, CancellationToken cancellationToken)
    {
        var plex = await PlexSimulator.StartAsync(
            new PlexSimulatorOptions { Seed = Seed, Movies = size.Movies, Shows = size.Shows, HomeUsers = 1, Friends = 1, LegacyShare = 0, ClockStart = clockStart, ServerName = "bench-plex" },
            cancellationToken);
        var federation = await PlexTvFederation.StartAsync([plex], cancellationToken);
        var jellyfin = await JellyfinSimulator.StartAsync(
            new JellyfinSimulatorOptions
            {
                Seed = Seed,
                Movies = size.Movies,
                Shows = size.Shows,
                Users = plex.Accounts.Count,
                UserNames = plex.Accounts.Select(a => a.Name).ToList(),
                ClockStart = clockStart,
                ServerName = "bench-jellyfin",
            },
            cancellationToken);
        return new PlexJellyfinWorld(plex, federation, jellyfin, size);
    }

    public Task SetLatencyAsync(int ms)
    {
        Plex.Control.SetLatency(ms);
        Jellyfin.Control.SetLatency(ms);
        return Task.CompletedTask;
    }

    public Task AdvanceClockAsync(TimeSpan by)
    {
        Plex.Control.AdvanceClock(by);
        Jellyfin.Control.AdvanceClock(by);
        return Task.CompletedTask;
    }

    public Task ResetCountsAsync()
    {
        Plex.Control.ResetCounts();
        Jellyfin.Control.ResetCounts();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, long>> CountsAsync()
    {
        var all = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (endpoint, count) in Plex.Control.RequestCounts)
        {
            all["plex " + endpoint] = count;
        }

        foreach (var (endpoint, count) in Jellyfin.Control.RequestCounts)
        {
            all["jellyfin " + endpoint] = count;
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(all);
    }

    /// <summary>Marks <paramref name="share"/> of the (account, item) pairs unwatched on both sides watched on one side.</summary>
    public Task<int> DivergeAsync(double share, int seed, bool perItem, IReadOnlyList<string>? accounts)
    {
        var random = new Random(seed);
        var names = accounts ?? Info.Accounts;
        var changed = 0;
        foreach (var (p, j) in Pairs)
        {
            foreach (var name in perItem ? [names[random.Next(names.Count)]] : names)
            {
                if (random.NextDouble() >= share || Watched(name, p, j) is not (false, false))
                {
                    continue;
                }

                if (random.Next(2) == 0)
                {
                    Plex.State.Scrobble(Plex.Control.Account(name), p);
                }
                else
                {
                    Jellyfin.Control.Mark(name, j.Id, played: true);
                }

                _expected.Add((name, p, j));
                changed++;
            }
        }

        return Task.FromResult(changed);
    }

    public Task<int> WatchOnLeftAsync(string account, int count)
    {
        var done = 0;
        foreach (var (p, j) in Pairs)
        {
            if (done == count)
            {
                break;
            }

            if (Watched(account, p, j) is (false, false))
            {
                Plex.State.Scrobble(Plex.Control.Account(account), p);
                _expected.Add((account, p, j));
                done++;
            }
        }

        return Task.FromResult(done);
    }

    public Task<int> CountDisagreementsAsync(IReadOnlyList<string> accounts) =>
        Task.FromResult(accounts.Sum(name => Pairs.Count(pair => Watched(name, pair.Plex, pair.Jellyfin) is var (p, j) && p != j)));

    public Task<IReadOnlyList<Check>> CheckStatesAsync(IReadOnlyList<string> accounts)
    {
        var disagree = 0;
        string? example = null;
        foreach (var name in accounts)
        {
            foreach (var (p, j) in Pairs)
            {
                if (Watched(name, p, j) is var (onPlex, onJellyfin) && onPlex != onJellyfin)
                {
                    disagree++;
                    example ??= $"{name} '{j.SeriesName ?? j.Name}' {j.Name}: Plex {(onPlex ? "watched" : "unwatched")}, Jellyfin {(onJellyfin ? "played" : "unplayed")}";
                }
            }
        }

        var missing = _expected.Where(e => Watched(e.Account, e.Plex, e.Jellyfin) is not (true, true)).ToList();
        IReadOnlyList<Check> checks =
        [
            new("both servers agree on every paired item", disagree == 0, disagree == 0 ? $"{Pairs.Count} items x {accounts.Count} accounts" : $"{disagree} differ, e.g. {example}"),
            new("every change arrived (watched on both)", missing.Count == 0, missing.Count == 0 ? $"{_expected.Count} changes" : $"{missing.Count} of {_expected.Count} missing, e.g. {missing[0].Account} '{missing[0].Jellyfin.Name}'"),
        ];
        return Task.FromResult(checks);
    }

    /// <summary>Per account: Plex's listing pages (movies; shows and episodes) of every visible library, and Jellyfin's (series; movies and episodes) of the whole server.</summary>
    public Task<long> ListingFloorAsync(IReadOnlyList<string> accounts, bool incremental)
    {
        long Pages(long items) => Math.Max(1, (items + ReferenceWorld.PageSize - 1) / ReferenceWorld.PageSize);
        var floor = 0L;
        var jfItems = Jellyfin.State.Items();
        foreach (var name in accounts)
        {
            var account = Plex.Control.Account(name);
            foreach (var section in Plex.State.Sections.Where(s => account.Kind != SimAccountKind.Friend || s.SharedWithFriends))
            {
                floor += incremental ? 1
                    : section.Type == "movie" ? Pages(Plex.State.ItemsOfType(section.Id, ItemType.Movie).Count)
                    : Pages(Plex.State.ItemsOfType(section.Id, ItemType.Show).Count) + Pages(Plex.State.ItemsOfType(section.Id, ItemType.Episode).Count);
            }

            floor += incremental ? 2 : Pages(jfItems.Count(i => i.Type == "Series")) + Pages(jfItems.Count(i => i.Type is "Movie" or "Episode"));
        }

        return Task.FromResult(floor);
    }

    public Task<IReadOnlyDictionary<string, long>> LibrarySizeAsync()
    {
        var state = Plex.State;
        long Count(ItemType type) => state.Sections.Sum(s => (long)state.ItemsOfType(s.Id, type).Count);
        IReadOnlyDictionary<string, long> size = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["movies"] = Count(ItemType.Movie),
            ["shows"] = Count(ItemType.Show),
            ["episodes"] = Count(ItemType.Episode),
            ["jellyfin items"] = Jellyfin.State.ItemCount,
            ["accounts"] = Info.Accounts.Count,
            ["paired items checked"] = Pairs.Count,
            ["latency ms"] = Size.LatencyMs,
        };
        return Task.FromResult(size);
    }

    public Task<SimProcessStats?> StatsAsync(bool resetPeak) => Task.FromResult<SimProcessStats?>(null);

    public async ValueTask DisposeAsync()
    {
        await Federation.DisposeAsync();
        await Plex.DisposeAsync();
        await Jellyfin.DisposeAsync();
    }

    private static List<(PlexItem, JfItem)> PairItems(PlexSimulator plex, JellyfinSimulator jellyfin)
    {
        var leaves = plex.State.Sections
            .SelectMany(s => plex.State.ItemsOfType(s.Id, s.Type == "movie" ? ItemType.Movie : ItemType.Episode))
            .ToList();
        var sharedGuids = leaves.GroupBy(i => i.PrimaryGuid).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var sharedParts = leaves.Where(i => i.PartId != 0).GroupBy(i => i.PartId).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var pairs = new List<(PlexItem, JfItem)>();
        foreach (var j in jellyfin.State.Items().Where(i => i.Type is "Movie" or "Episode" && i.IndexNumberEnd is null).OrderBy(i => i.PlexRatingKey))
        {
            if (plex.State.Item(j.PlexRatingKey) is { } p && p.PrimaryGuid.StartsWith("plex://", StringComparison.Ordinal) && p.EditionTitle is null && !sharedGuids.Contains(p.PrimaryGuid) && !sharedParts.Contains(p.PartId))
            {
                pairs.Add((p, j));
            }
        }

        return pairs;
    }

    private (bool Plex, bool Jellyfin) Watched(string account, PlexItem p, JfItem j) =>
        (Plex.State.State(Plex.Control.Account(account), p).ViewCount > 0, Jellyfin.State.Data(Jellyfin.Control.User(account), j).Played);
}
