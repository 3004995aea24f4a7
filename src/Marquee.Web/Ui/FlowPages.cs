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
    private static readonly string[] FormFields = ["name", "from", "to", "features", "mode", "twoWay", "schedule", "incremental", "libraries", "profiles", "editions", "enabled", "maxRemovals", "maxRemovalPercent"];

    public static void MapFlowPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/flows", async (HttpContext http, FlowService flows, ConnectionService connections, string? notice, CancellationToken ct) =>
            await ListAsync(http, flows, connections, notice, new Dictionary<string, string?>(), FormErrors.None, StatusCodes.Status200OK, ct));

        app.MapPost("/flows", async (HttpContext http, FlowService flows, ConnectionService connections, CancellationToken ct) =>
        {
            var (values, input, problems) = await ReadAsync(http, existing: null, ct);
            if (problems.Count > 0)
            {
                return await ListAsync(http, flows, connections, null, values, new FormErrors(problems, FormFields), StatusCodes.Status400BadRequest, ct);
            }

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

        app.MapGet("/flows/{id:long}", async (HttpContext http, long id, FlowService flows, ConnectionService connections, CancellationToken ct) =>
        {
            var flow = await flows.FindAsync(id.ToString(CultureInfo.InvariantCulture), ct);
            return await EditAsync(http, flow, connections, ValuesOf(flow), FormErrors.None, StatusCodes.Status200OK, ct);
        });

        // An edit replaces what the form shows and keeps what it does not (the ids ignored, whether ids are required).
        app.MapPost("/flows/{id:long}", async (HttpContext http, long id, FlowService flows, ConnectionService connections, CancellationToken ct) =>
        {
            var flow = await flows.FindAsync(id.ToString(CultureInfo.InvariantCulture), ct);
            var (values, input, problems) = await ReadAsync(http, flow, ct);
            if (problems.Count > 0)
            {
                return await EditAsync(http, flow, connections, values, new FormErrors(problems, FormFields), StatusCodes.Status400BadRequest, ct);
            }

            try
            {
                var updated = await flows.UpdateAsync(id.ToString(CultureInfo.InvariantCulture), input, ct);
                return Results.Redirect("/flows?notice=" + Uri.EscapeDataString($"Saved the flow '{updated.Name}'."));
            }
            catch (ValidationException ex)
            {
                return await EditAsync(http, flow, connections, values, new FormErrors(ex.Problems, FormFields), StatusCodes.Status400BadRequest, ct);
            }
            catch (ConflictException ex)
            {
                return await EditAsync(http, flow, connections, values, new FormErrors([new FieldProblem(ex.Field, ex.Message)], FormFields), StatusCodes.Status409Conflict, ct);
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
        return Page.Render(http, "Flows", H($"""
            {Page.Notice(notice)}
            {(all.Count == 0 ? H($"<p>No flow yet. A flow copies watch state from one connection to another.</p>") : H($"""
                <table><thead><tr><th scope="col">Name</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Features</th><th scope="col">Mode</th><th scope="col">Schedule</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>{Join(all, f => H($"<tr><td><a href=\"/flows/{f.Id}\">{f.Name}</a>{When(!f.Enabled, new Html(" (off)"))}</td><td>{f.SourceConnection}</td><td>{f.TargetConnection}{(f.TwoWay ? " (both ways)" : string.Empty)}</td><td>{string.Join(", ", f.Features)}</td><td>{f.Mode}</td><td>{f.Schedule ?? "default"}</td><td>{Page.Button(http, $"/flows/{f.Id}/dry-run", "Dry run")}{Page.Button(http, $"/flows/{f.Id}/run", "Run")}<a href=\"/flows/{f.Id}\">Edit<span class=\"visually-hidden\"> {f.Name}</span></a> {Page.Button(http, $"/flows/{f.Id}/remove", "Remove")}</td></tr>"))}</tbody></table>
                """))}
            <h2>Add a flow</h2>
            {Form(http, "/flows", names, values, errors, "Add the flow")}
            """), status);
    }

    private static async Task<IResult> EditAsync(HttpContext http, Flow flow, ConnectionService connections, Dictionary<string, string?> values, FormErrors errors, int status, CancellationToken ct)
    {
        var names = (await connections.ListAsync(ct)).Select(c => (c.Name, c.Name)).ToList();
        return Page.Render(http, $"Edit the flow {flow.Name}", H($"""
            <p>Changes apply from the next run. <a href="/flows">Back to the flows</a></p>
            {Form(http, $"/flows/{flow.Id}", names, values, errors, "Save the flow")}
            """), status);
    }

    /// <summary>The add and edit form: features, mode, guards, schedule and library filters.</summary>
    private static Html Form(HttpContext http, string action, List<(string, string)> names, Dictionary<string, string?> values, FormErrors errors, string submit)
    {
        var features = (values.GetValueOrDefault("features") ?? FlowFeature.Watched).Split(',');
        return H($"""
            {Page.Problems(errors)}
            {Page.PostForm(http, action, H($"""
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
                {Page.Input("profiles", "Profiles", values.GetValueOrDefault("profiles"), errors, help: "Comma-separated profile names; empty for every linked profile.")}
                {Page.Select("editions", "Editions", values.GetValueOrDefault("editions") ?? EditionPolicy.Edition, EditionPolicy.All.Select(e => (e, EditionText(e))), errors)}
                {Page.Input("maxRemovals", "Maximum removals per run", values.GetValueOrDefault("maxRemovals"), errors, "number", $"A run over this is held for approval (default {new FlowGuards().MaxRemovals}).")}
                {Page.Input("maxRemovalPercent", "Maximum removals in percent", values.GetValueOrDefault("maxRemovalPercent"), errors, "number", $"Default {new FlowGuards().MaxRemovalPercent.ToString(CultureInfo.InvariantCulture)}.")}
                <input type="hidden" name="enabled" value="false">
                {Page.Input("enabled", "Runs on its schedule", values.GetValueOrDefault("enabled") ?? "true", errors, "checkbox", "Off keeps the flow but runs it only when asked.")}
                """), submit)}
            """);
    }

    private static string EditionText(string policy) => policy switch
    {
        EditionPolicy.Base => "base (every edition counts as the base version)",
        EditionPolicy.Skip => "skip (editions are left out)",
        _ => "edition (each edition is its own item)",
    };

    private static Dictionary<string, string?> ValuesOf(Flow flow) => new(StringComparer.Ordinal)
    {
        ["name"] = flow.Name,
        ["from"] = flow.SourceConnection,
        ["to"] = flow.TargetConnection,
        ["twoWay"] = flow.TwoWay ? "true" : null,
        ["features"] = string.Join(',', flow.Features),
        ["mode"] = flow.Mode,
        ["schedule"] = flow.Schedule,
        ["incremental"] = flow.Incremental,
        ["libraries"] = string.Join(", ", flow.Filters.Libraries),
        ["profiles"] = string.Join(", ", flow.Filters.Profiles),
        ["editions"] = flow.Filters.Editions,
        ["enabled"] = flow.Enabled ? "true" : "false",
        ["maxRemovals"] = flow.Guards.MaxRemovals.ToString(CultureInfo.InvariantCulture),
        ["maxRemovalPercent"] = flow.Guards.MaxRemovalPercent.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The posted form as the values to show again and the flow input; an edit starts from the flow's filters and guards, so what the form does not show is kept.</summary>
    private static async Task<(Dictionary<string, string?> Values, FlowInput Input, List<FieldProblem> Problems)> ReadAsync(HttpContext http, Flow? existing, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var values = FormFields.ToDictionary(f => f, f => (string?)form[f].ToString(), StringComparer.Ordinal);
        values["features"] = string.Join(',', form["features"].ToArray());
        // The form sends "false" before the box, so a box left unticked still says so; a post without the field keeps the flow's choice.
        bool? enabled = form["enabled"].Count == 0 ? null : form["enabled"].Any(Page.IsTrue);
        values["enabled"] = enabled == false ? "false" : "true";
        var problems = new List<FieldProblem>();
        var guards = existing?.Guards ?? new FlowGuards();
        guards = guards with
        {
            MaxRemovals = Number(values["maxRemovals"], "maxRemovals", "Maximum removals", new FlowGuards().MaxRemovals, problems),
            MaxRemovalPercent = Number(values["maxRemovalPercent"], "maxRemovalPercent", "Maximum removals in percent", new FlowGuards().MaxRemovalPercent, problems),
        };
        var filters = (existing?.Filters ?? new FlowFilters()) with
        {
            Libraries = List(values["libraries"]),
            Profiles = List(values["profiles"]),
            Editions = Blank(values["editions"]) ?? EditionPolicy.Edition,
        };
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
            Filters = filters,
            Guards = guards,
            Enabled = enabled,
        };
        return (values, input, problems);
    }

    private static string[] List(string? text) => (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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
