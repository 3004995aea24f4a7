using System.CommandLine;
using System.Globalization;
using Marquee.Cli.Output;
using Marquee.Core.Flows;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

internal static class FlowCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("flow", "Flows carry watch state from one connection to another, or both ways.");
        command.Add(Add(context));
        command.Add(List(context));
        command.Add(Show(context));
        command.Add(Remove(context));
        return command;
    }

    private static Command Add(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Flow name." };
        var from = new Option<string>("--from") { Description = "Source connection.", Required = true };
        var to = new Option<string>("--to") { Description = "Target connection.", Required = true };
        var twoWay = new Option<bool>("--two-way") { Description = "Carry changes both ways." };
        var features = new Option<string?>("--features") { Description = $"Comma-separated: {string.Join(",", FlowFeature.All)} (watchlist: Plex and Trakt only). Default {string.Join(",", FlowService.DefaultFeatures)}.", HelpName = "LIST" };
        var mode = new Option<string?>("--mode") { Description = "mirror (also unwatches, with proof and guards) or add-only. Default mirror.", HelpName = "mirror|add-only" };
        var schedule = new Option<string?>("--schedule") { Description = "When marquee serve runs the flow in full: a cron expression (UTC), an interval (12h) or off. Default nightly (\"0 3 * * *\").", HelpName = "CRON|INTERVAL|off" };
        var incremental = new Option<string?>("--incremental") { Description = "When marquee serve runs the flow incrementally: an interval (15m), a cron expression (UTC) or off. Default 15m.", HelpName = "INTERVAL|CRON|off" };
        var editions = new Option<string?>("--editions") { Description = "How editions of a movie are synced: edition (each its own item, the base version where the other side lacks it), base (all count as the base version) or skip. Default edition.", HelpName = "edition|base|skip" };
        var command = new Command("add", "Add a flow.") { name, from, to, twoWay, features, mode, schedule, incremental, editions, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var input = new FlowInput
                {
                    Name = parse.GetValue(name),
                    From = parse.GetValue(from),
                    To = parse.GetValue(to),
                    TwoWay = parse.GetValue(twoWay),
                    Features = parse.GetValue(features)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Mode = parse.GetValue(mode),
                    Schedule = parse.GetValue(schedule),
                    Incremental = parse.GetValue(incremental),
                    Filters = parse.GetValue(editions) is { } policy ? new FlowFilters { Editions = policy } : null,
                };
                var created = await services.GetRequiredService<FlowService>().CreateAsync(input, ct);
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, created);
                }
                else
                {
                    await ctx.Output.WriteLineAsync($"Added flow '{created.Name}': {Describe(created)}.");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var command = new Command("list", "List flows.") { GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var all = await services.GetRequiredService<FlowService>().ListAsync(ct);
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, all);
                }
                else
                {
                    TextTable.Write(
                        ctx.Output,
                        ["Id", "Name", "Direction", "Features", "Mode", "Full runs", "Incremental", "Enabled"],
                        all.Select(f => new[]
                        {
                            f.Id.ToString(CultureInfo.InvariantCulture), f.Name, $"{f.SourceConnection} {(f.TwoWay ? "<->" : "->")} {f.TargetConnection}",
                            string.Join(",", f.Features), f.Mode, f.Schedule ?? "-", f.Incremental ?? "-", f.Enabled ? "yes" : "no",
                        }),
                        "No flows. Add one with: marquee flow add NAME --from CONNECTION --to CONNECTION");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Show(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Flow name or id." };
        var command = new Command("show", "Show a flow.") { name, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var flow = await services.GetRequiredService<FlowService>().FindAsync(parse.GetValue(name)!, ct);
                var ctx = context(parse);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, flow);
                    return ExitCodes.Ok;
                }

                TextTable.WriteFields(ctx.Output,
                [
                    ("Name", flow.Name),
                    ("Id", flow.Id.ToString(CultureInfo.InvariantCulture)),
                    ("Direction", $"{flow.SourceConnection} {(flow.TwoWay ? "<->" : "->")} {flow.TargetConnection}"),
                    ("Features", string.Join(", ", flow.Features)),
                    ("Mode", flow.Mode),
                    ("Full runs", flow.Schedule ?? "-"),
                    ("Incremental runs", flow.Incremental ?? "-"),
                    ("Enabled", flow.Enabled ? "yes" : "no"),
                    ("Libraries", flow.Filters.Libraries.Count == 0 ? "all" : string.Join(", ", flow.Filters.Libraries)),
                    ("Profiles", flow.Filters.Profiles.Count == 0 ? "all" : string.Join(", ", flow.Filters.Profiles)),
                    ("Ignored guids", string.Join(", ", flow.Filters.IgnoreGuidPrefixes)),
                    ("Require ids", flow.Filters.RequireExternalIds ? "yes" : "no"),
                    ("Editions", flow.Filters.Editions),
                    ("Guard", $"hold a run that removes more than {flow.Guards.MaxRemovals} items or {flow.Guards.MaxRemovalPercent.ToString(CultureInfo.InvariantCulture)} % of the target"),
                ]);
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Remove(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("name") { Description = "Flow name or id." };
        var command = new Command("remove", "Remove a flow. Its history stays in the ledger.") { name };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                await services.GetRequiredService<FlowService>().DeleteAsync(parse.GetValue(name)!, ct);
                await context(parse).Output.WriteLineAsync($"Removed flow '{parse.GetValue(name)}'.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static string Describe(Flow flow) =>
        $"{flow.SourceConnection} {(flow.TwoWay ? "<->" : "->")} {flow.TargetConnection}, {string.Join(", ", flow.Features)}, {flow.Mode}, full runs {flow.Schedule ?? "-"}, incremental runs {flow.Incremental ?? "-"}";
}
