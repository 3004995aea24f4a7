using System.Globalization;
using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Marquee.Web.Ui.Html;

namespace Marquee.Web.Ui;

/// <summary>Runs: the paged list, one run's plan with each write's outcome and requests per endpoint, live progress, undo with a confirmation.</summary>
internal static class RunPages
{
    public const int PageSize = 50;

    public static void MapRunPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/runs", async (HttpContext http, IRunStore runs, long? before, CancellationToken ct) =>
        {
            var page = await runs.ListPageAsync(PageSize, before, ct);
            return Page.Render(http, "Runs", H($"""
                {(page.Count == 0 ? H($"<p>No runs yet.</p>") : Table(page))}
                {Page.Pager("/runs", before, page.Count == PageSize ? page[^1].Id : null)}
                """));
        });

        app.MapGet("/runs/{id:long}", async (HttpContext http, long id, IRunStore runs, IConnectionStore connections, string? notice, CancellationToken ct) =>
        {
            var run = await runs.GetAsync(id, ct);
            if (run is null)
            {
                return NotFound(http, $"There is no run {id}.");
            }

            var writes = await runs.ListWritesAsync(id, ct);
            var names = (await connections.ListAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
            var undoable = run.Status is not ("running" or "dry-run") && writes.Any(w => w.Status == "written");
            return Page.Render(http, $"Run {id}: {run.Flow}", H($"""
                {Page.Notice(notice)}
                <dl class="cards">
                <div class="card"><dt>Status</dt><dd class="status-{run.Status}">{run.Status}</dd></div>
                <div class="card"><dt>Trigger</dt><dd>{run.Trigger}</dd></div>
                <div class="card"><dt>Started</dt><dd>{Page.Time(run.StartedAt)}</dd></div>
                <div class="card"><dt>Finished</dt><dd>{Page.Time(run.FinishedAt)}</dd></div>
                <div class="card"><dt>Planned / written / skipped / failed</dt><dd>{run.Planned} / {run.Written} / {run.Skipped} / {run.Failed}</dd></div>
                <div class="card"><dt>Unresolved items</dt><dd><a href="/unresolved">{run.Unresolved}</a></dd></div>
                </dl>
                {When(run.Message is not null, H($"<p class=\"{(run.Status is "failed" or "held" ? "alert" : "notice")}\">{run.Message}</p>"))}
                {When(run.Status == "held" && run.FlowId is not null, H($"<p>The guards held this run: the plan below was not written. Approving runs the flow again past the guards (the plan is made afresh from the servers).</p>{Page.Button(http, $"/flows/{run.FlowId}/approve", "Approve: run past the guards", "danger")}"))}
                {When(undoable, H($"<p><a href=\"/runs/{id}/undo\">Undo this run…</a></p>"))}
                <h2>Plan and outcomes</h2>
                {(writes.Count == 0 ? H($"<p>This run planned no write.</p>") : Writes(writes, names))}
                <h2>Requests per endpoint</h2>
                {(run.Requests.Count == 0 ? H($"<p>No request was counted.</p>") : H($"<table><thead><tr><th scope=\"col\">Endpoint</th><th scope=\"col\">Requests</th></tr></thead><tbody>{Join(run.Requests.OrderBy(r => r.Key, StringComparer.Ordinal), r => H($"<tr><td><code>{r.Key}</code></td><td>{r.Value}</td></tr>"))}</tbody></table>"))}
                """));
        });

        app.MapGet("/runs/{id:long}/undo", async (HttpContext http, long id, IRunStore runs, CancellationToken ct) =>
        {
            var run = await runs.GetAsync(id, ct);
            return run is null
                ? NotFound(http, $"There is no run {id}.")
                : Page.Render(http, $"Undo run {id}?", H($"""
                    <p>Undoing puts back, on each target, the value it had before this run wrote to it ({run.Written} writes), unless it changed since. This starts a new run.</p>
                    {Page.PostForm(http, $"/runs/{id}/undo", H($"<input type=\"hidden\" name=\"confirm\" value=\"yes\">"), "Yes, undo this run", "inline")}
                    <a href="/runs/{id}">No, keep it</a>
                    """));
        });

        app.MapPost("/runs/{id:long}/undo", async (HttpContext http, long id, FlowRunner runner, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            if (form["confirm"] != "yes")
            {
                return Results.Redirect($"/runs/{id}/undo");
            }

            try
            {
                var undo = await runner.UndoAsync(id, ct);
                return Results.Redirect($"/runs/{undo.Id}?notice={Uri.EscapeDataString($"Run {id} was undone by this run.")}");
            }
            catch (Exception ex) when (ex is NotFoundException or ConflictException or ValidationException or InvalidOperationException)
            {
                return Page.Render(http, $"Run {id} was not undone", H($"<p class=\"alert\" role=\"alert\">{ex.Message}</p><p><a href=\"/runs/{id}\">Back to the run</a></p>"), StatusCodes.Status409Conflict);
            }
        });

        app.MapGet("/runs/live/{key}", (HttpContext http, string key, LiveRuns live) =>
        {
            var run = live.Find(key);
            if (run is null)
            {
                return NotFound(http, "This run is no longer followed here; see the list of runs.");
            }

            if (run.Done && run.RunId is { } id)
            {
                return Results.Redirect($"/runs/{id}");
            }

            // A small script follows the run over server-sent events; without scripts the page reloads itself while the run lasts.
            var (lines, total) = run.Since(0);
            return Page.Render(
                http,
                $"Running {run.Flow}",
                H($"""
                    <p role="status" aria-live="polite" id="run-status">{(run.Done ? $"The run ended: {run.Message}" : "Running… this page follows it.")}</p>
                    <ol class="progress" id="progress" data-stream="/runs/live/{key}/stream?after={total}">{Join(lines, l => H($"<li>{l}</li>"))}</ol>
                    <p><a href="/runs">All runs</a></p>
                    """),
                head: run.Done ? Html.Empty : H($"<noscript><meta http-equiv=\"refresh\" content=\"1\"></noscript><script src=\"/ui/live.js\" defer></script>"));
        });

        // Progress lines as server-sent events, then one "done" event naming the stored run (or why the run ended without one).
        app.MapGet("/runs/live/{key}/stream", async (HttpContext http, string key, long? after, LiveRuns live, CancellationToken ct) =>
        {
            if (live.Find(key) is not { } run)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "This run is no longer followed here.");
            }

            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-store";
            try
            {
                await StreamAsync(http.Response, run, Math.Max(after ?? 0, 0), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The reader left.
            }

            return Results.Empty;
        });
    }

    public static Html Table(IReadOnlyList<SyncRun> runs) => H($"""
        <table><thead><tr><th scope="col">Run</th><th scope="col">Flow</th><th scope="col">Trigger</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Written</th><th scope="col">Failed</th></tr></thead>
        <tbody>{Join(runs, r => H($"<tr><td><a href=\"/runs/{r.Id}\">{r.Id}</a></td><td>{r.Flow}</td><td>{r.Trigger}</td><td class=\"status-{r.Status}\">{r.Status}</td><td>{Page.Time(r.StartedAt)}</td><td>{r.Written}</td><td>{r.Failed}</td></tr>"))}</tbody></table>
        """);

    public static IResult NotFound(HttpContext http, string message) =>
        Page.Render(http, "Not found", H($"<p class=\"alert\">{message}</p>"), StatusCodes.Status404NotFound);

    private static Html Writes(IReadOnlyList<RunWrite> writes, Dictionary<long, string> names) => H($"""
        <table><thead><tr><th scope="col">Target</th><th scope="col">Item</th><th scope="col">Feature</th><th scope="col">Action</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Why</th><th scope="col">Outcome</th></tr></thead>
        <tbody>{Join(writes, w => H($"<tr><td>{names.GetValueOrDefault(w.ConnectionId, w.ConnectionId.ToString(CultureInfo.InvariantCulture))}</td><td>{w.LocalKey}</td><td>{w.Feature}</td><td>{w.Action}</td><td>{w.Before}</td><td>{w.After}</td><td>{w.Reason}</td><td class=\"status-{w.Status}\">{w.Status}{When(w.Error is not null, H($": {w.Error}"))}</td></tr>"))}</tbody></table>
        """);

    private static async Task StreamAsync(HttpResponse response, LiveRun run, long seen, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var done = run.Done;
            var (lines, total) = run.Since(seen);
            seen = total;
            foreach (var line in lines)
            {
                await response.WriteAsync($"data: {line.ReplaceLineEndings(" ")}\n\n", ct);
            }

            if (done)
            {
                var end = JsonSerializer.Serialize(new { url = run.RunId is { } id ? $"/runs/{id}" : null, message = run.Message });
                await response.WriteAsync($"event: done\ndata: {end}\n\n", ct);
                break;
            }

            await response.Body.FlushAsync(ct);
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }
}
