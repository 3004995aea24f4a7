using Marquee.Bench.Infrastructure;
using Marquee.Core.Flows;
using Marquee.Core.Sync;

namespace Marquee.Bench.Sync;

/// <summary>The sync scenarios: first two-way run, no-change runs, a run after 1 % changed, and 10,000 writes.</summary>
public abstract class SyncScenario : IBenchScenario
{
    /// <summary>The paged bulk listing of the Plex provider, as its request counts name it.</summary>
    public const string ListingEndpoint = "GET /library/sections/{id}/all";

    protected static readonly IReadOnlyList<string> AllFeatures = [FlowFeature.Watched, FlowFeature.Ratings, FlowFeature.Progress];

    public abstract string Name { get; }

    public abstract string Title { get; }

    public static WorldSize SizeFor(bool quick) => quick
        ? new WorldSize(Movies: 1_000, Shows: 284, LatencyMs: 10, Differing: 0.10)
        : new WorldSize(Movies: 10_000, Shows: 2_840, LatencyMs: 10, Differing: 0.10);

    /// <summary>Gets the simulated world the scenario runs in (<see cref="SimWorldHost.StartLocalAsync"/>).</summary>
    protected virtual string WorldKind => PlexPairWorld.Kind;

    /// <summary>Gets a value indicating whether the scenario starts from the synced world (<see cref="SyncedWorld"/>) when the scenario before handed one on.</summary>
    protected virtual bool StartsSynced => false;

    protected virtual WorldSize WorldSizeFor(bool quick) => SizeFor(quick);

    /// <summary>
    /// Gets a value indicating whether the scenario runs Marquee's measured runs in a process of their own when it can start
    /// one (<see cref="ReferenceWorld.SyncApartAsync"/>); its world then keeps the system's time.
    /// </summary>
    protected virtual bool SyncsApart => false;

    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var synced = StartsSynced ? context.Shared?.Take<SyncedWorld>() : null;
        ReferenceWorld world;
        if (synced is not null)
        {
            context.Log.WriteLine($"{Name}: continuing in the synced servers the scenario before left");
            world = synced.World;
        }
        else
        {
            var size = WorldSizeFor(context.Quick);
            context.Log.WriteLine($"{Name}: starting two simulated servers ({size.Movies} movies, {size.Shows} shows each)");
            // Scenarios sharing a process each get a store of their own, in case one starts afresh after another.
            var folder = context.Shared is null ? context.DataFolder : Path.Combine(context.DataFolder, Name);
            Directory.CreateDirectory(folder);
            world = await ReferenceWorld.StartAsync(WorldKind, size, folder, context.SimHost, cancellationToken, systemClock: SyncsApart && context.SimHost is not null);
        }

        try
        {
            return await RunAsync(world, synced, context, cancellationToken);
        }
        finally
        {
            if (context.Shared?.Peek<SyncedWorld>()?.World != world)
            {
                await world.DisposeAsync();
            }
        }
    }

    /// <summary>Runs the scenario in <paramref name="world"/>: a new one, or (with <paramref name="synced"/>) the one the scenario before synced.</summary>
    protected abstract Task<ScenarioResult> RunAsync(ReferenceWorld world, SyncedWorld? synced, ScenarioContext context, CancellationToken cancellationToken);

    protected static IReadOnlyList<string> Accounts(ReferenceWorld world) => world.Accounts;

    protected static Check Done(string what, SyncReport report) => Done(what, report.Run);

    protected static Check Done(string what, SyncRun run) =>
        new($"{what}: run finished", run.Status == RunStatus.Done, $"status {run.Status}{(run.Message is null ? string.Empty : ": " + run.Message)}");

    protected static Check NoWrites(string what, SyncReport report) =>
        NoWrites(what, report.Run, string.Concat(report.Plan.Where(w => w.SkipReason is null).Take(3).Select(w => $"; {w.ConnectionName} '{w.Title}' ({w.LocalKey}) {w.Action}: {w.Reason}")));

    /// <summary>The run planned and wrote nothing; <paramref name="planned"/> names a few of its planned writes when it has them.</summary>
    protected static Check NoWrites(string what, SyncRun run, string planned = "") =>
        new($"{what}: zero writes", run.Written == 0 && run.Planned == 0, $"planned {run.Planned}, written {run.Written}{planned}");

    /// <summary>
    /// The set-up of the scenarios that start from synced servers: the 10 % difference of first-sync and a two-way
    /// flow, synced once without latency (not measured). Reused when the scenario before handed its synced world on.
    /// </summary>
    protected static async Task<SyncedWorld> SyncedAsync(ReferenceWorld world, SyncedWorld? synced, ScenarioContext context, CancellationToken cancellationToken)
    {
        if (synced is null)
        {
            await world.Sims.DivergeAsync(world.Size.Differing, seed: 1, perItem: false, accounts: null);
            var flow = await world.AddFlowAsync(twoWay: true, AllFeatures, null, cancellationToken);
            var since = world.Now;
            context.Log.WriteLine("  setting up: first run without latency (not measured)");
            await world.SetLatencyAsync(0);
            synced = new SyncedWorld(world, flow, since, (await world.SyncAsync(flow, null, cancellationToken)).Run);
        }

        await world.SetLatencyAsync(world.Size.LatencyMs);
        return synced;
    }

    /// <summary>Hands the synced world on to the next scenario of the same process (a quick run), if there is one.</summary>
    protected static async Task HandOnAsync(ScenarioContext context, SyncedWorld synced)
    {
        if (context.Shared is { } shared)
        {
            await shared.HandOnAsync(synced);
        }
    }

    protected static Dictionary<string, long> Prefixed(string prefix, IReadOnlyDictionary<string, long> counts, Dictionary<string, long>? into = null)
    {
        into ??= new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in counts)
        {
            into[prefix + key] = value;
        }

        return into;
    }

    protected async Task<ScenarioResult> ResultAsync(ReferenceWorld world, Measurement m, ScenarioContext context, IReadOnlyDictionary<string, long> requests, long floor, long writes, IReadOnlyList<Check> checks, Dictionary<string, double> metrics)
    {
        metrics["GC pause s (Marquee)"] = Math.Round(m.GcPause.TotalSeconds, 3);
        metrics["allocated MB (Marquee)"] = Math.Round(m.Allocated / 1048576.0);
        for (var generation = 0; generation < m.GcCollections.Count; generation++)
        {
            metrics[$"gen{generation} collections"] = m.GcCollections[generation];
        }

        return (await WorldResultAsync(world, context, requests, floor, writes, checks, metrics)) with
        {
            WallSeconds = Math.Round(m.Wall.TotalSeconds, 3),
            CpuSeconds = Math.Round(m.Cpu.TotalSeconds, 3),
            PeakRssBytes = m.PeakRss,
            BaselineRssBytes = m.BaselineRss,
            PeakManagedBytes = m.PeakManaged,
            PeakGcCommittedBytes = m.PeakCommitted,
            PeakAnonymousRssBytes = m.PeakAnonymous > 0 ? m.PeakAnonymous : null,
            Phases = world.Timer.Breakdown(m.Wall),
        };
    }

    /// <summary>A result's parts that come from the world and the run's record: the checks, requests, writes and the simulators' figures; the caller adds Marquee's own.</summary>
    protected async Task<ScenarioResult> WorldResultAsync(ReferenceWorld world, ScenarioContext context, IReadOnlyDictionary<string, long> requests, long floor, long writes, IReadOnlyList<Check> checks, Dictionary<string, double> metrics)
    {
        metrics["listing requests"] = requests.Where(r => r.Key.EndsWith(ListingEndpoint, StringComparison.Ordinal)).Sum(r => r.Value);
        return new()
        {
            Name = Name,
            Title = Title,
            Status = checks.All(c => c.Passed) ? ScenarioStatus.Ok : ScenarioStatus.Failed,
            Quick = context.Quick,
            Size = await world.Sims.LibrarySizeAsync(),
            SimulatorsApart = world.SimulatorsApart,
            SimulatorCpuSeconds = world.SimulatorsMeasured is { } sims ? Math.Round(sims.CpuSeconds, 3) : null,
            SimulatorPeakRssBytes = world.SimulatorsMeasured?.PeakRssBytes,
            Requests = requests,
            SimulatorRequests = await world.Sims.CountsAsync(),
            TotalRequests = requests.Values.Sum(),
            FloorRequests = floor,
            Writes = writes,
            Metrics = metrics,
            Checks = checks,
        };
    }

    protected static void AddThroughput(Dictionary<string, double> metrics, ReferenceWorld world, Measurement m)
    {
        var items = world.Timer.Items;
        metrics["items listed"] = items;
        metrics["items/s (wall)"] = Math.Round(items / Math.Max(m.Wall.TotalSeconds, 1e-6));
        metrics[world.SimulatorsApart ? "items/s (CPU, Marquee alone)" : "items/s (CPU, simulators included)"] = Math.Round(items / Math.Max(m.Cpu.TotalSeconds, 1e-6));

        // The CPU side of the budget (parse, match, observe, plan, store) is the run up to its first write: a run plans
        // every profile before it writes. The write phase (requests to the servers and their journal) is measured
        // beside it, by the writes scenario, and is in the run's whole CPU time above.
        if (world.Timer.CpuAtFirstWrite is { } atFirstWrite)
        {
            var before = m.CpuUntil(atFirstWrite).TotalSeconds;
            metrics["CPU s before the first write"] = Math.Round(before, 3);
            metrics["CPU s in the write phase"] = Math.Round(m.Cpu.TotalSeconds - before, 3);
            metrics[world.SimulatorsApart ? "items/s (CPU before the first write, Marquee alone)" : "items/s (CPU before the first write, simulators included)"] = Math.Round(items / Math.Max(before, 1e-6));
        }
    }
}

/// <summary>(1) The first two-way run between two servers that differ in about 10 % of (profile, item) pairs.</summary>
public sealed class FirstSyncScenario : SyncScenario, ISharedSetUpScenario
{
    public override string Name => "first-sync";

    public override string Title => "first full two-way sync";

    public string SetUpGroup => SyncedWorld.Group;

    protected override async Task<ScenarioResult> RunAsync(ReferenceWorld world, SyncedWorld? synced, ScenarioContext context, CancellationToken cancellationToken)
    {
        var accounts = Accounts(world);
        var changed = await world.Sims.DivergeAsync(world.Size.Differing, seed: 1, perItem: false, accounts: null);
        var differing = await world.Sims.CountDisagreementsAsync(accounts);
        var flow = await world.AddFlowAsync(twoWay: true, AllFeatures, null, cancellationToken);
        var since = world.Now;
        await world.SetLatencyAsync(world.Size.LatencyMs);
        await world.ResetCountsAsync();
        context.Log.WriteLine($"  {changed} differing (profile, item) pairs; running the first sync");
        var m = await world.StartMeasurementAsync();
        var report = await world.SyncAsync(flow, null, cancellationToken);
        await world.StopMeasurementAsync(m);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["differing pairs"] = changed,
            ["planned"] = report.Run.Planned,
            ["written"] = report.Run.Written,
            ["failed"] = report.Run.Failed,
            ["unresolved"] = report.Run.Unresolved,
        };
        AddThroughput(metrics, world, m);
        var phases = world.Timer.Breakdown(m.Wall);
        var requests = report.Run.Requests;
        metrics["listing floor"] = await world.Sims.ListingFloorAsync(accounts, incremental: false);
        var floor = (long)metrics["listing floor"] + report.Run.Written;

        context.Log.WriteLine("  checking states and rerunning");
        var checks = new List<Check>
        {
            new("set-up: the servers differ exactly where the scenario changed them", differing == changed, $"{differing} differing pairs, {changed} changes"),
            Done("first run", report),
        };
        checks.AddRange(await world.Sims.CheckStatesAsync(accounts));
        await world.SetLatencyAsync(0);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var rerun = await world.SyncAsync(flow, null, cancellationToken);
        checks.Add(Done("rerun", rerun));
        checks.Add(NoWrites("rerun", rerun));
        var result = (await ResultAsync(world, m, context, requests, floor, report.Run.Written, checks, metrics)) with { Phases = phases };
        if (report.Run.Status == RunStatus.Done)
        {
            // The measured run is the set-up no-change and one-percent need: the same difference, flow and end state.
            await HandOnAsync(context, new SyncedWorld(world, flow, since, report.Run));
        }

        return result;
    }
}

/// <summary>(2) The same flow again with nothing changed: an incremental run, then a full one.</summary>
public sealed class NoChangeScenario : SyncScenario, ISharedSetUpScenario
{
    public override string Name => "no-change";

    public override string Title => "rerun, nothing changed (incremental, full)";

    public string SetUpGroup => SyncedWorld.Group;

    protected override bool StartsSynced => true;

    protected override async Task<ScenarioResult> RunAsync(ReferenceWorld world, SyncedWorld? synced, ScenarioContext context, CancellationToken cancellationToken)
    {
        var accounts = Accounts(world);
        synced = await SyncedAsync(world, synced, context, cancellationToken);
        var (flow, since, first) = (synced.Flow, synced.Since, synced.First);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        await world.ResetCountsAsync();

        context.Log.WriteLine("  incremental run, then full run");
        var m = await world.StartMeasurementAsync();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var incremental = await world.SyncAsync(flow, since, cancellationToken);
        var incrementalTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var afterIncremental = System.Diagnostics.Stopwatch.GetTimestamp();
        var full = await world.SyncAsync(flow, null, cancellationToken);
        var fullSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(afterIncremental);
        await world.StopMeasurementAsync(m);
        var requests = Prefixed("incremental: ", incremental.Run.Requests);
        Prefixed("full: ", full.Run.Requests, requests);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["incremental wall s"] = Math.Round(incrementalTime.TotalSeconds, 3),
            ["full wall s"] = Math.Round(fullSeconds.TotalSeconds, 3),
            ["incremental requests"] = incremental.Run.Requests.Values.Sum(),
            ["full requests"] = full.Run.Requests.Values.Sum(),
            ["incremental writes"] = incremental.Run.Written,
            ["full writes"] = full.Run.Written,
        };
        AddThroughput(metrics, world, m);
        metrics["listing floor"] = await world.Sims.ListingFloorAsync(accounts, incremental: true) + await world.Sims.ListingFloorAsync(accounts, incremental: false);
        var floor = (long)metrics["listing floor"];
        var checks = new List<Check>
        {
            Done("setup run", first),
            Done("incremental run", incremental),
            NoWrites("incremental run", incremental),
            Done("full run", full),
            NoWrites("full run", full),
        };
        checks.AddRange(await world.Sims.CheckStatesAsync(accounts));
        var result = await ResultAsync(world, m, context, requests, floor, incremental.Run.Written + full.Run.Written, checks, metrics);
        await HandOnAsync(context, synced);
        return result;
    }
}

/// <summary>(3) An incremental run after 1 % of the items changed (each for one profile, on one side), then a full run that must find nothing left.</summary>
public sealed class OnePercentScenario : SyncScenario, ISharedSetUpScenario
{
    public override string Name => "one-percent";

    public override string Title => "run after 1 % of items changed";

    public string SetUpGroup => SyncedWorld.Group;

    protected override bool StartsSynced => true;

    protected override async Task<ScenarioResult> RunAsync(ReferenceWorld world, SyncedWorld? synced, ScenarioContext context, CancellationToken cancellationToken)
    {
        var accounts = Accounts(world);
        synced = await SyncedAsync(world, synced, context, cancellationToken);
        var (flow, since, first) = (synced.Flow, synced.Since, synced.First);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var changed = await world.Sims.DivergeAsync(0.01, seed: 2, perItem: true, accounts: null);
        await world.AdvanceClockAsync(TimeSpan.FromMinutes(1));
        await world.ResetCountsAsync();

        context.Log.WriteLine($"  {changed} items changed; incremental run");
        var m = await world.StartMeasurementAsync();
        var report = await world.SyncAsync(flow, since, cancellationToken);
        await world.StopMeasurementAsync(m);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["changed items"] = changed,
            ["planned"] = report.Run.Planned,
            ["written"] = report.Run.Written,
        };
        AddThroughput(metrics, world, m);
        var phases = world.Timer.Breakdown(m.Wall);
        var requests = report.Run.Requests;
        metrics["listing floor"] = await world.Sims.ListingFloorAsync(accounts, incremental: true);
        var floor = (long)metrics["listing floor"] + changed;

        var checks = new List<Check> { Done("setup run", first), Done("incremental run", report) };
        checks.Add(new Check("incremental run: one write per change", report.Run.Written == changed, $"{report.Run.Written} written for {changed} changes"));
        checks.AddRange(await world.Sims.CheckStatesAsync(accounts));
        await world.SetLatencyAsync(0);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var full = await world.SyncAsync(flow, null, cancellationToken);
        checks.Add(Done("full run afterwards", full));
        checks.Add(NoWrites("full run afterwards (the incremental run missed nothing)", full));
        return (await ResultAsync(world, m, context, requests, floor, report.Run.Written, checks, metrics)) with { Phases = phases };
    }
}

/// <summary>(4) 10,000 writes: one profile watched 10,000 items on the left only; a one-way run marks them on the right.</summary>
public sealed class WritesScenario : SyncScenario
{
    public override string Name => "writes";

    public override string Title => "10,000 writes";

    protected override async Task<ScenarioResult> RunAsync(ReferenceWorld world, SyncedWorld? synced, ScenarioContext context, CancellationToken cancellationToken)
    {
        var owner = world.Owner;
        var wanted = context.Quick ? 1_000 : 10_000;
        var marked = await world.Sims.WatchOnLeftAsync(owner, wanted);
        var flow = await world.AddFlowAsync(twoWay: false, [FlowFeature.Watched], [owner], cancellationToken);
        await world.SetLatencyAsync(world.Size.LatencyMs);
        await world.ResetCountsAsync();
        context.Log.WriteLine($"  {marked} items to write");
        var m = await world.StartMeasurementAsync();
        var report = await world.SyncAsync(flow, null, cancellationToken);
        await world.StopMeasurementAsync(m);
        var writePhase = world.Timer.WritePhase;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["writes wanted"] = marked,
            ["written"] = report.Run.Written,
            ["failed"] = report.Run.Failed,
            ["write phase s"] = Math.Round(writePhase.TotalSeconds, 3),
            ["writes/s"] = Math.Round(report.Run.Written / Math.Max(writePhase.TotalSeconds, 1e-6), 1),
        };
        AddThroughput(metrics, world, m);
        var phases = world.Timer.Breakdown(m.Wall);
        var requests = report.Run.Requests;
        metrics["listing floor"] = await world.Sims.ListingFloorAsync([owner], incremental: false);
        var floor = (long)metrics["listing floor"] + marked;

        var checks = new List<Check>
        {
            Done("run", report),
            // The generated libraries differ a little on their own (4K copies and editions under other agents), so a few more writes are right.
            new("every wanted write made", report.Run.Written >= marked && marked == wanted, $"{report.Run.Written} written for {marked} wanted ({report.Run.Written - marked} on items the servers already differed on)"),
        };
        checks.AddRange(await world.Sims.CheckStatesAsync([owner]));
        await world.SetLatencyAsync(0);
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var rerun = await world.SyncAsync(flow, null, cancellationToken);
        checks.Add(NoWrites("rerun", rerun));
        return (await ResultAsync(world, m, context, requests, floor, report.Run.Written, checks, metrics)) with { Phases = phases };
    }
}

/// <summary>
/// The reference world after the first two-way run (10 % differing, all features): what first-sync leaves and what
/// no-change and one-percent start from. <see cref="Since"/> is the time just before that first run. Of that run only
/// its record is kept: its report's planned writes (one per write of a first sync, about 7 MB at full size) held through
/// the next scenario's measured runs counted in their peak memory, and the server keeps no report once a run is over.
/// </summary>
public sealed record SyncedWorld(ReferenceWorld World, Flow Flow, DateTimeOffset Since, SyncRun First) : IAsyncDisposable
{
    /// <summary>The set-up group of the scenarios that share it (<see cref="ISharedSetUpScenario"/>).</summary>
    public const string Group = "synced-world";

    public ValueTask DisposeAsync() => World.DisposeAsync();
}

/// <summary>
/// (11) Plex ⇄ Jellyfin on the library of the peer comparison (2,000 movies, 60 shows; a tenth quick): the first
/// two-way watched sync after about 10 % of the (account, item) pairs were watched on one side, then a rerun. Reports
/// Marquee's peak memory, wall time and requests (the peer sync tool peaked at 88 MB on this library). Each run is
/// <c>marquee sync</c> in a process of its own when the scenario can start one (<see cref="ScenarioContext.SimHost"/>,
/// as <c>marquee bench</c> does), else a run in this process.
/// </summary>
public sealed class PlexJellyfinScenario : SyncScenario
{
    public override string Name => "plex-jellyfin";

    public override string Title => "Plex ⇄ Jellyfin, 2,000 movies / 60 shows";

    protected override string WorldKind => PlexJellyfinWorld.Kind;

    protected override WorldSize WorldSizeFor(bool quick) => quick
        ? new WorldSize(Movies: 200, Shows: 6, LatencyMs: 10, Differing: 0.10)
        : new WorldSize(Movies: 2_000, Shows: 60, LatencyMs: 10, Differing: 0.10);

    protected override bool SyncsApart => true;

    protected override async Task<ScenarioResult> RunAsync(ReferenceWorld world, SyncedWorld? synced, ScenarioContext context, CancellationToken cancellationToken)
    {
        var accounts = Accounts(world);
        var changed = await world.Sims.DivergeAsync(world.Size.Differing, seed: 1, perItem: false, accounts: null);
        var flow = await world.AddFlowAsync(twoWay: true, [FlowFeature.Watched], null, cancellationToken);
        await world.SetLatencyAsync(world.Size.LatencyMs);
        await world.ResetCountsAsync();
        if (context.Marquee is { } marquee)
        {
            return await RunApartAsync(world, marquee, flow, changed, context, cancellationToken);
        }

        context.Log.WriteLine($"  {changed} (account, item) pairs watched on one side only; running the first sync");
        var m = await world.StartMeasurementAsync();
        var report = await world.SyncAsync(flow, null, cancellationToken);
        await world.StopMeasurementAsync(m);
        var phases = world.Timer.Breakdown(m.Wall);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["changed pairs"] = changed,
            ["planned"] = report.Run.Planned,
            ["written"] = report.Run.Written,
            ["peak MB (Marquee)"] = Math.Round(m.PeakRss / 1048576.0, 1),
        };
        AddThroughput(metrics, world, m);
        metrics["listing floor"] = await world.Sims.ListingFloorAsync(accounts, incremental: false);
        var floor = (long)metrics["listing floor"] + report.Run.Written;
        var checks = new List<Check> { Done("first run", report) };
        checks.AddRange(await world.Sims.CheckStatesAsync(accounts));
        await world.AdvanceClockAsync(TimeSpan.FromHours(1));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rerun = await world.SyncAsync(flow, null, cancellationToken);
        metrics["rerun wall s"] = Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, 3);
        metrics["rerun requests"] = rerun.Run.Requests.Values.Sum();
        checks.Add(Done("rerun", rerun));
        checks.Add(NoWrites("rerun", rerun));
        return (await ResultAsync(world, m, context, report.Run.Requests, floor, report.Run.Written, checks, metrics)) with { Phases = phases };
    }

    /// <summary>
    /// The same runs, each as an owner runs one from a schedule of their own, <c>marquee sync FLOW</c> in a process of its
    /// own, measured from outside: its peak RSS is all Marquee holds to sync this library (the peer tool's 88 MB is its
    /// process's too), with nothing of the benchmark's own code or set-up in it.
    /// </summary>
    private async Task<ScenarioResult> RunApartAsync(ReferenceWorld world, ChildCommand marquee, Flow flow, int changed, ScenarioContext context, CancellationToken cancellationToken)
    {
        var accounts = Accounts(world);
        context.Log.WriteLine($"  {changed} (account, item) pairs watched on one side only; running the first sync as 'marquee sync' in a process of its own");
        await world.StartSimulatorsMeasurementAsync();
        var (first, report) = await world.SyncApartAsync(marquee, flow, cancellationToken);
        await world.StopSimulatorsMeasurementAsync();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["changed pairs"] = changed,
            ["planned"] = report?.Planned ?? 0,
            ["written"] = report?.Written ?? 0,
            ["peak MB (Marquee)"] = Math.Round(first.PeakRssBytes / 1048576.0, 1),
            ["peak from the kernel's account (1) or polled (0)"] = first.PeakExact ? 1 : 0,
        };
        metrics["listing floor"] = await world.Sims.ListingFloorAsync(accounts, incremental: false);
        var floor = (long)metrics["listing floor"] + (report?.Written ?? 0);
        var checks = new List<Check> { Exited("first run", first, report) };
        if (report is not null)
        {
            checks.Add(Done("first run", report));
        }

        checks.AddRange(await world.Sims.CheckStatesAsync(accounts));
        var (rerun, rerunReport) = await world.SyncApartAsync(marquee, flow, cancellationToken);
        metrics["rerun wall s"] = Math.Round(rerun.Wall.TotalSeconds, 3);
        metrics["rerun peak MB (Marquee)"] = Math.Round(rerun.PeakRssBytes / 1048576.0, 1);
        metrics["rerun requests"] = rerunReport?.Requests.Values.Sum() ?? 0;
        checks.Add(Exited("rerun", rerun, rerunReport));
        if (rerunReport is not null)
        {
            checks.Add(Done("rerun", rerunReport));
            checks.Add(NoWrites("rerun", rerunReport));
        }

        var result = await WorldResultAsync(world, context, report?.Requests ?? new Dictionary<string, long>(), floor, report?.Written ?? 0, checks, metrics);
        return result with { WallSeconds = Math.Round(first.Wall.TotalSeconds, 3), CpuSeconds = Math.Round(first.Cpu.TotalSeconds, 3), PeakRssBytes = first.PeakRssBytes };
    }

    /// <summary>The process ended well (exit 0) and left its run's record; the end of its output when not.</summary>
    private static Check Exited(string what, ChildRun process, SyncRun? run) =>
        new(
            $"{what}: 'marquee sync' exited 0 and recorded its run",
            process.ExitCode == 0 && run is not null,
            process.ExitCode == 0 && run is not null
                ? $"exit 0, run {run.Id}"
                : $"exit {process.ExitCode}, {(run is null ? "no run recorded" : "run " + run.Id)}: {string.Join(" | ", process.Output.TakeLast(5))}");
}
