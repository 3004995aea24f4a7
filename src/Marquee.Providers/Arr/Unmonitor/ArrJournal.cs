using Marquee.Core.Connections;
using Marquee.Core.Sync;

namespace Marquee.Providers.Arr.Unmonitor;

/// <summary>
/// The journal of one unmonitor delivery: a run (flow <c>unmonitor:NAME</c>, trigger live or catch-up) started at its
/// first write, with one row per item (<c>movie/ID</c>, <c>episode/ID</c>, <c>season/SERIES/N</c>), before true and
/// after false. A dry-run's rows are skipped writes in a dry-run run.
/// </summary>
internal sealed class ArrJournal(IRunStore runs, StoredConnection connection, ArrUnmonitorRequest request, bool dryRun, string key, TimeProvider clock)
{
    public const string Action = "unmonitor";

    private long? _runId;
    private int _written;
    private int _skipped;
    private DateTimeOffset _started;

    public bool DryRun => dryRun;

    public static string FlowName(string connection) => "unmonitor:" + connection;

    /// <summary>Journals the items and, unless it is a dry-run, sends <paramref name="write"/>; the rows say what happened.</summary>
    public async Task WriteAsync(IReadOnlyList<string> items, Func<Task> write, CancellationToken ct)
    {
        if (_runId is null)
        {
            _started = clock.GetUtcNow();
            _runId = await runs.StartAsync(null, FlowName(connection.Name), request.Trigger, null, _started, ct);
        }

        var ids = new List<long>();
        foreach (var item in items)
        {
            ids.Add(await runs.InsertWriteAsync(
                new RunWrite(0, _runId.Value, connection.Id, null, null, null, item, ArrUnmonitorRequest.Feature, Action, "true", "false", $"watched by {request.Profile}: {request.Title}", $"{key}:{item}:{_runId.Value}", WriteStatus.Planned, null, clock.GetUtcNow(), null),
                ct));
        }

        if (dryRun)
        {
            foreach (var id in ids)
            {
                await runs.UpdateWriteAsync(id, _runId.Value, WriteStatus.Skipped, "true", "dry-run", null, ct);
            }

            _skipped += ids.Count;
            return;
        }

        try
        {
            await write();
        }
        catch (Exception ex)
        {
            foreach (var id in ids)
            {
                await runs.UpdateWriteAsync(id, _runId.Value, WriteStatus.Failed, "true", ex.Message, null, CancellationToken.None);
            }

            throw;
        }

        foreach (var id in ids)
        {
            await runs.UpdateWriteAsync(id, _runId.Value, WriteStatus.Written, "false", null, clock.GetUtcNow(), ct);
        }

        _written += ids.Count;
    }

    public async Task FinishAsync(string? error, string? outcome, CancellationToken ct)
    {
        if (_runId is not { } runId)
        {
            return;
        }

        var status = error is not null ? RunStatus.Failed : dryRun ? RunStatus.DryRun : RunStatus.Done;
        var message = error ?? $"{request.Title} watched by {request.Profile}: {outcome}";
        await runs.FinishAsync(new SyncRun(runId, null, FlowName(connection.Name), request.Trigger, status, _started, clock.GetUtcNow(), _written + _skipped, _written, _skipped, error is null ? 0 : 1, 0, new Dictionary<string, long>(), message), ct);
    }
}
