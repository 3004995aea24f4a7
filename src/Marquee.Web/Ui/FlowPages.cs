using System.Globalization;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Marquee.Web.Ui.Html;

namespace Marquee.Web.Ui;

/// <summary>Flows: the list, the add form (features, mode, guards, schedule, library filter), a dry run showing the plan, a run followed live, approval of a held run.</summary>
internal static class FlowPages
{
    private static readonly string[] FormFields = ["name", "from", "to", "features", "mode", "twoWay", "schedule", "incremental", "libraries", "maxRemovals", "maxRemovalPercent"];

    public static void MapFlowPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/flows", async (HttpContext http, FlowService flows, ConnectionService connections, string? notice, CancellationToken ct) =>
            await ListAsync(http, flows, connections, notice, new Dictionary<string, string?>(), FormErrors.None, StatusCodes.Status200OK, ct));

        app.MapPost("/flows", async (HttpContext http, FlowService flows, ConnectionService connections, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var values = FormFields.ToDictionary(f => f, f => (string?)form[f].ToString(), StringComparer.Ordinal);
            values["features"] = string.Join(',', form["features"].ToArray());
            var problems = new List<FieldProblem>();
            var guards = new FlowGuards
            {
                MaxRemovals = Number(values["maxRemovals"], "maxRemovals", "Maximum removals", new FlowGuards().MaxRemovals, problems),
                MaxRemovalPercent = Number(values["maxRemovalPercent"], "maxRemovalPercent", "Maximum removals in percent", new FlowGuards().MaxRemovalPercent, problems),
            };
            if (problems.Count > 0)
            {
                return await ListAsync(http, flows, connections, null, values, new FormErrors(problems, FormFields), StatusCodes.Status400BadRequest, ct);
            }

            var input = new FlowInput
            {
                Name = values["name"],
                From = values["from"],
                To = values["to"],
                TwoWay = Page.IsTrue(values["twoWay"]),
                Features = form["features"].Where(f => f is not null).Select(f => f!).ToList(),
                Mode = values["mode"],
                Schedule = Blank(values["schedule"]),
                Incremental = Blank(values["incremental"]),
                Filters = new FlowFilters { Libraries = (values["libraries"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                Guards = guards,
            };
            try
            {
                var created = await flows.CreateAsync(input, ct);
                return Results.Redirect("/flows?notice=" + Uri.EscapeDataString($"Added the flow '{created.Name}'. Try a dry run to see what it would write."));
            }
            catch (ValidationException ex)
            {
                return await ListAsync(http, flows, connections, null, values, new FormErrors(ex.Problems, FormFields), StatusCodes.Status400BadRequest, ct);
            }
            catch (ConflictException ex)
            {
                return await ListAsync(http, flows, connections, null, values, new FormErrors([new FieldProblem(ex.Field, ex.Message)], FormFields), StatusCodes.Status409Conflict, ct);
            }
        });

        app.MapPost("/flows/{id:long}/dry-run", async (HttpContext http, long id, FlowService flows, FlowRunner runner, IConnectionStore connections, CancellationToken ct) =>
        {
            var flow = await flows.FindAsync(id.ToString(CultureInfo.InvariantCulture), ct);
            SyncReport report;
            try
            {
                report = await runner.RunAsync(flow, new SyncOptions { DryRun = true, Trigger = "ui" }, null, ct);
            }
            catch (ConflictException ex)
            {
                return Page.Render(http, $"Dry run of {flow.Name}", H($"<p class=\"alert\" role=\"alert\">{ex.Message}</p>"), StatusCodes.Status409Conflict);
            }

            var names = (await connections.ListAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
            return Page.Render(http, $"Dry run of {flow.Name}", H($"""
                <p>Nothing was written. A run would make these {report.Plan.Count(w => w.SkipReason is null)} writes ({report.Plan.Count} planned, {report.Unresolved.Count} items unresolved).</p>
                {When(report.Run.Message is not null, H($"<p class=\"alert\">{report.Run.Message}</p>"))}
                {Page.Button(http, $"/flows/{id}/run", "Run it now", "inline")}
                {When(report.Run.Status == "held", Page.Button(http, $"/flows/{id}/approve", "Approve: run past the guards", "danger"))}
                <table><thead><tr><th scope="col">Target</th><th scope="col">Item</th><th scope="col">Feature</th><th scope="col">Action</th><th scope="col">Why</th><th scope="col">Skipped because</th></tr></thead>
                <tbody>{Join(report.Plan, w => H($"<tr><td>{w.ConnectionName}</td><td>{w.Title}</td><td>{w.Feature}</td><td>{w.Action}</td><td>{w.Reason}</td><td>{w.SkipReason}</td></tr>"))}</tbody></table>
                """));
        });

        app.MapPost("/flows/{id:long}/run", async (long id, FlowService flows, LiveRuns live, CancellationToken ct) =>
            Results.Redirect($"/runs/live/{live.Start(await flows.FindAsync(id.ToString(CultureInfo.InvariantCulture), ct), new SyncOptions { Trigger = "ui" })}"));

        // A run the guards held goes ahead only when someone who saw the plan says so.
        app.MapPost("/flows/{id:long}/approve", async (long id, FlowService flows, LiveRuns live, CancellationToken ct) =>
            Results.Redirect($"/runs/live/{live.Start(await flows.FindAsync(id.ToString(CultureInfo.InvariantCulture), ct), new SyncOptions { Trigger = "ui", Force = true })}"));

        app.MapPost("/flows/{id:long}/remove", async (HttpContext http, long id, FlowService flows, CancellationToken ct) =>
        {
            var flow = await flows.FindAsync(id.ToString(CultureInfo.InvariantCulture), ct);
            var form = await http.Request.ReadFormAsync(ct);
            if (form["confirm"] != "yes")
            {
                return Page.Render(http, $"Remove the flow {flow.Name}?", H($"""
                    <p>Its runs stay in the history; nothing is written to the servers.</p>
                    {Page.PostForm(http, $"/flows/{id}/remove", H($"<input type=\"hidden\" name=\"confirm\" value=\"yes\">"), "Yes, remove it", "inline")}
                    <a href="/flows">No, keep it</a>
                    """));
            }

            await flows.DeleteAsync(id.ToString(CultureInfo.InvariantCulture), ct);
            return Results.Redirect("/flows?notice=" + Uri.EscapeDataString($"Removed the flow '{flow.Name}'."));
        });
    }

    private static async Task<IResult> ListAsync(HttpContext http, FlowService flows, ConnectionService connections, string? notice, Dictionary<string, string?> values, FormErrors errors, int status, CancellationToken ct)
    {
        var all = await flows.ListAsync(ct);
        var names = (await connections.ListAsync(ct)).Select(c => (c.Name, c.Name)).ToList();
        var features = (values.GetValueOrDefault("features") ?? FlowFeature.Watched).Split(',');
        return Page.Render(http, "Flows", H($"""
            {Page.Notice(notice)}
            {(all.Count == 0 ? H($"<p>No flow yet. A flow copies watch state from one connection to another.</p>") : H($"""
                <table><thead><tr><th scope="col">Name</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Features</th><th scope="col">Mode</th><th scope="col">Schedule</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>{Join(all, f => H($"<tr><td>{f.Name}</td><td>{f.SourceConnection}</td><td>{f.TargetConnection}{(f.TwoWay ? " (both ways)" : string.Empty)}</td><td>{string.Join(", ", f.Features)}</td><td>{f.Mode}</td><td>{f.Schedule ?? "default"}</td><td>{Page.Button(http, $"/flows/{f.Id}/dry-run", "Dry run")}{Page.Button(http, $"/flows/{f.Id}/run", "Run")}{Page.Button(http, $"/flows/{f.Id}/remove", "Remove")}</td></tr>"))}</tbody></table>
                """))}
            <h2>Add a flow</h2>
            {Page.Problems(errors)}
            {Page.PostForm(http, "/flows", H($"""
                {Page.Input("name", "Name", values.GetValueOrDefault("name"), errors, required: true)}
                {Page.Select("from", "From", values.GetValueOrDefault("from"), names, errors)}
                {Page.Select("to", "To", values.GetValueOrDefault("to"), names, errors)}
                {Page.Input("twoWay", "Both ways", values.GetValueOrDefault("twoWay"), errors, "checkbox")}
                <fieldset><legend>Features</legend>{Join(FlowFeature.All, f => H($"<label><input type=\"checkbox\" name=\"features\" value=\"{f}\"{When(features.Contains(f), new Html(" checked"))}> {f}</label> "))}
                {When(errors.For("features") is not null, H($"<p class=\"error\" id=\"features-error\" role=\"alert\">{errors.For("features")}</p>"))}</fieldset>
                {Page.Select("mode", "Mode", values.GetValueOrDefault("mode") ?? FlowMode.AddOnly, FlowMode.All.Select(m => (m, m == FlowMode.Mirror ? "mirror (also removes, within the guards)" : "add-only (never removes)")), errors)}
                {Page.Input("schedule", "Full run schedule", values.GetValueOrDefault("schedule"), errors, help: "An interval (6h), a cron expression or off; empty for the default.")}
                {Page.Input("incremental", "Incremental schedule", values.GetValueOrDefault("incremental"), errors, help: "An interval, a cron expression or off; empty for the default.")}
                {Page.Input("libraries", "Libraries", values.GetValueOrDefault("libraries"), errors, help: "Comma-separated library names; empty for all.")}
                {Page.Input("maxRemovals", "Maximum removals per run", values.GetValueOrDefault("maxRemovals"), errors, "number", $"A run over this is held for approval (default {new FlowGuards().MaxRemovals}).")}
                {Page.Input("maxRemovalPercent", "Maximum removals in percent", values.GetValueOrDefault("maxRemovalPercent"), errors, "number", $"Default {new FlowGuards().MaxRemovalPercent.ToString(CultureInfo.InvariantCulture)}.")}
                """), "Add the flow")}
            """), status);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static T Number<T>(string? text, string field, string label, T fallback, List<FieldProblem> problems)
        where T : IParsable<T>
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (T.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add(new FieldProblem(field, $"'{label}' must be a number."));
        return fallback;
    }
}
