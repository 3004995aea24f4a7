using System.Globalization;
using System.Text.RegularExpressions;
using Marquee.Core.Flows;

namespace Marquee.Core.Sync;

/// <summary>
/// The one way a flow runs, whoever asks: the CLI, the API, the scheduler and live events. Every run takes the flow
/// under <see cref="FlowLocks"/> first (one run per flow at a time, across processes), then runs the full or
/// incremental steps (<see cref="SyncService"/>) or the targeted ones for one item (<see cref="TargetedSync"/>), which
/// share the ledger, planner, guards, executor and journal (<see cref="RunSteps"/>).
/// </summary>
public sealed partial class FlowRunner(FlowService flows, SyncService sync, TargetedSync targeted, UndoService undo, IRunStore runs, FlowLocks locks)
{
    private static int _fullRunsInProgress;

    public async Task<IReadOnlyList<Flow>> SelectAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return (await flows.ListAsync(cancellationToken)).Where(f => f.Enabled).ToList();
        }

        var selected = new List<Flow>();
        foreach (var name in names)
        {
            selected.Add(await flows.FindAsync(name, cancellationToken));
        }

        return selected;
    }

    /// <summary>Runs the flow in full, or over what changed since <see cref="SyncOptions.Since"/>; a busy flow is refused or waited for, as <see cref="SyncOptions.WhenBusy"/> says.</summary>
    public async Task<SyncReport> RunAsync(Flow flow, SyncOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var lease = await locks.AcquireAsync(flow, options.Trigger, options.WhenBusy, cancellationToken);
        var full = options.Since is null;
        if (full)
        {
            Interlocked.Increment(ref _fullRunsInProgress);
        }

        try
        {
            return await sync.RunAsync(flow, options, progress, cancellationToken);
        }
        finally
        {
            if (full && Interlocked.Decrement(ref _fullRunsInProgress) == 0)
            {
                GiveMemoryBack();
                GiveMemoryBackOnceIdle();
            }
        }
    }

    /// <summary>
    /// A full run reads whole libraries (hundreds of megabytes on a large one). Once no full run is left, that memory is
    /// collected and handed back to the system, so a server that idles between runs (on a NAS beside Plex) returns to
    /// its idle size instead of keeping the run's peak until the next collection happens to come. The same collection
    /// serves an idle server (Marquee.Web's IdleMemory). What native code freed goes back too (<see cref="NativeHeap"/>).
    /// </summary>
    public static void GiveMemoryBack()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.GiveBack();
    }

    /// <summary>How long after the last full run ends its caller's share is collected (<see cref="GiveMemoryBackOnceIdle"/>).</summary>
    public static readonly TimeSpan IdleGiveBack = TimeSpan.FromSeconds(5);

    private static long _fullRunsEnded;

    /// <summary>
    /// The collection at a run's end cannot take what the run's caller still holds: the report and its planned writes,
    /// and the answer made of them (the server's first full run of the reference library kept about 25 MB of it until the
    /// next full collection, whenever that came). A few seconds later, once no full run started or ended since, the same
    /// collection runs again.
    /// </summary>
    private static void GiveMemoryBackOnceIdle()
    {
        var ended = Interlocked.Increment(ref _fullRunsEnded);
        _ = Task.Delay(IdleGiveBack).ContinueWith(
            _ =>
            {
                if (Volatile.Read(ref _fullRunsInProgress) == 0 && Volatile.Read(ref _fullRunsEnded) == ended)
                {
                    GiveMemoryBack();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    /// <summary>Runs the flow for the one item a live event names, waiting while another run of the flow holds it.</summary>
    public async Task<TargetedResult> RunItemAsync(Flow flow, TargetedItem item, CancellationToken cancellationToken)
    {
        await using var lease = await locks.AcquireAsync(flow, "live", WhenBusy.Wait, cancellationToken);
        return await targeted.RunAsync(flow, item, cancellationToken);
    }

    /// <summary>Undoes a run under its flow's lock (refused while the flow runs), so an undo and a run never write one item at once.</summary>
    public async Task<SyncRun> UndoAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw UndoService.NoSuchRun(runId);
        var flow = run.FlowId is { } flowId ? await flows.GetAsync(flowId, cancellationToken) : null;
        await using var lease = flow is null ? null : await locks.AcquireAsync(flow, "undo", WhenBusy.Refuse, cancellationToken);
        return await undo.UndoAsync(run, cancellationToken);
    }

    /// <summary>Parses a window: <c>1d</c>, <c>12h</c>, <c>30m</c>, <c>2w</c>, or a date or time (<c>2026-11-01</c>, ISO 8601, UTC unless an offset is given).</summary>
    public static bool TryParseSince(string? text, DateTimeOffset now, out DateTimeOffset since, out string error)
    {
        since = default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "'since' is empty; use 1d, 12h, 30m or a date such as 2026-11-01.";
            return false;
        }

        var match = Window().Match(text.Trim());
        if (match.Success)
        {
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = match.Groups[2].Value switch
            {
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
            since = now - span;
            return true;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out since))
        {
            if (since > now)
            {
                error = $"'since' ({text}) is in the future.";
                return false;
            }

            return true;
        }

        error = $"'since' must be a window such as 1d, 12h, 30m, 2w or a date such as 2026-11-01; got '{text}'.";
        return false;
    }

    [GeneratedRegex("^([0-9]{1,6})([mhdw])$")]
    private static partial Regex Window();
}
