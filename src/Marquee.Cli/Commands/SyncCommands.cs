using System.CommandLine;
using System.Globalization;
using Marquee.Cli.Output;
using Marquee.Core.Profiles;
using Marquee.Core.Sync;
using Marquee.Core.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

/// <summary><c>marquee sync</c>, <c>runs</c>, <c>undo</c>, <c>history</c> and <c>unresolved</c>.</summary>
internal static class SyncCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> context)
    {
        yield return Sync(context);
        yield return Runs(context);
        yield return Undo(context);
        yield return History(context);
        yield return Unresolved(context);
    }

    private static Command Sync(Func<ParseResult, CliContext> context)
    {
        var flows = new Argument<string[]>("flow") { Description = "Flows to run (names or ids); every enabled flow when none is given.", Arity = ArgumentArity.ZeroOrMore };
        var since = new Option<string?>("--since") { Description = "Read only what changed in this window: 1d, 12h, 30m, 2w or a date (2026-11-01).", HelpName = "WINDOW" };
        var full = new Option<bool>("--full") { Description = "Read everything (the default); cannot be combined with --since." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the exact plan; write nothing." };
        var force = new Option<bool>("--force") { Description = "Apply a plan the mass-change guard would hold." };
        var library = new Option<string[]>("--library") { Description = "Read only this library (name or key; repeat or separate with commas), within the flow's own.", HelpName = "LIBRARY" };
        var profile = new Option<string[]>("--profile") { Description = "Sync only this profile (repeat or separate with commas), within the flow's own.", HelpName = "PROFILE" };
        var command = new Command("sync", "Sync watch state along flows. Exit codes: 0 done, 1 failed, 3 held by a guard.") { flows, since, full, dryRun, force, library, profile, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var json = parse.GetValue(GlobalOptions.Json);
                var clock = services.GetRequiredService<TimeProvider>();
                DateTimeOffset? window = null;
                if (parse.GetValue(since) is { } text)
                {
                    if (parse.GetValue(full))
                    {
                        throw ValidationException.For("since", "--since and --full cannot be combined.");
                    }

                    window = FlowRunner.TryParseSince(text, clock.GetUtcNow(), out var parsed, out var error) ? parsed : throw ValidationException.For("since", error);
                }

                var runner = services.GetRequiredService<FlowRunner>();
                var selected = await runner.SelectAsync(parse.GetValue(flows) ?? [], ct);
                if (selected.Count == 0)
                {
                    throw new CliException("No flows to run. Add one with: marquee flow add NAME --from CONNECTION --to CONNECTION", ExitCodes.Failure);
                }

                var options = new SyncOptions
                {
                    DryRun = parse.GetValue(dryRun),
                    Force = parse.GetValue(force),
                    Since = window,
                    Trigger = "cli",
                    Libraries = SyncOptions.Names(parse.GetValue(library)),
                    Profiles = SyncOptions.Names(parse.GetValue(profile)),
                };
                foreach (var flow in selected)
                {
                    RunSteps.Narrow(flow, options);
                }

                var profiles = (await services.GetRequiredService<ProfileService>().ListAsync(ct)).ToDictionary(p => p.Id, p => p.Name);
                var reports = new List<SyncReport>();
                var terminal = !json && ReferenceEquals(ctx.Output, Console.Out) && TerminalStatus.Interactive();
                foreach (var flow in selected)
                {
                    SyncReport report;
                    if (terminal)
                    {
                        report = await TerminalStatus.RunAsync($"{flow.Name}: starting", status => runner.RunAsync(flow, options, status, ct));
                    }
                    else
                    {
                        var progress = json ? null : new SyncProgress(ctx.Output);
                        report = await runner.RunAsync(flow, options, progress, ct);
                    }

                    reports.Add(report);
                    if (!json)
                    {
                        await WriteReportAsync(ctx.Output, report, profiles, options.DryRun);
                    }
                }

                if (json)
                {
                    CliJson.Write(ctx.Output, new { runs = reports.Select(r => ToJson(r, profiles)) });
                }

                return reports.Any(r => r.Run.Status == RunStatus.Held) ? ExitCodes.Held
                    : reports.Any(r => r.Run.Status == RunStatus.Failed) ? ExitCodes.Failure
                    : ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Runs(Func<ParseResult, CliContext> context)
    {
        var limit = new Option<int>("--limit") { Description = "How many runs to list, newest first.", DefaultValueFactory = _ => 50 };
        var command = new Command("runs", "List sync runs, newest first.") { limit, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var runs = await services.GetRequiredService<IRunStore>().ListAsync(Math.Clamp(parse.GetValue(limit), 1, 10_000), ct);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, runs);
                }
                else
                {
                    TextTable.Write(
                        ctx.Output,
                        ["Id", "Flow", "Trigger", "Status", "Started", "Planned", "Written", "Skipped", "Failed", "Unresolved", "Message"],
                        runs.Select(r => new[]
                        {
                            N(r.Id), r.Flow, r.Trigger, r.Status, r.StartedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                            N(r.Planned), N(r.Written), N(r.Skipped), N(r.Failed), N(r.Unresolved), r.Message,
                        }),
                        "No runs yet. Start one with: marquee sync");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Undo(Func<ParseResult, CliContext> context)
    {
        var run = new Argument<long>("run") { Description = "The id of the run to revert (see marquee runs)." };
        var command = new Command("undo", "Revert the writes a run made, newest first; the revert is a run of its own.") { run, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var result = await services.GetRequiredService<FlowRunner>().UndoAsync(parse.GetValue(run), ct);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, result);
                }
                else
                {
                    await ctx.Output.WriteLineAsync($"Run {result.Id} reverted run {parse.GetValue(run)}: {result.Written} written, {result.Skipped} skipped, {result.Failed} failed ({result.Status}).");
                    if (result.Message is { } message)
                    {
                        await ctx.Output.WriteLineAsync(message);
                    }

                    await ctx.Output.WriteLineAsync("The flow plans these changes again on its next run unless the source changed; disable it first if needed (\"enabled\": false through PUT /api/flows/NAME, or in marquee.yaml).");
                }

                return result.Status == RunStatus.Done ? ExitCodes.Ok : ExitCodes.Failure;
            },
            ct));
        return command;
    }

    private static Command History(Func<ParseResult, CliContext> context)
    {
        var profile = new Option<string>("--profile") { Description = "Profile name or id.", Required = true };
        var item = new Option<long?>("--item") { Description = "Only this item (ledger item id)." };
        var limit = new Option<int>("--limit") { Description = "How many events, newest first.", DefaultValueFactory = _ => 200 };
        var command = new Command("history", "Show a profile's ledger: every change, when it happened and where it came from.") { profile, item, limit, GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var found = await services.GetRequiredService<ProfileService>().FindAsync(parse.GetValue(profile)!, ct);
                var events = await services.GetRequiredService<ILedgerStore>().HistoryAsync(found.Id, parse.GetValue(item), Math.Clamp(parse.GetValue(limit), 1, 100_000), ct);
                var items = await services.GetRequiredService<IIdentityStore>().GetItemsAsync(events.Select(e => e.ItemId).Distinct().ToList(), ct);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, events.Select(e => new { e.Id, e.ItemId, Title = items.GetValueOrDefault(e.ItemId)?.Title, e.Feature, e.Value, e.OccurredAt, e.ObservedAt, e.ConnectionId, e.Origin, e.RunId }));
                }
                else
                {
                    TextTable.Write(
                        ctx.Output,
                        ["Occurred", "Item", "Title", "Change", "Value", "Connection", "Origin", "Observed"],
                        events.Select(e => new[]
                        {
                            e.OccurredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), N(e.ItemId), items.GetValueOrDefault(e.ItemId)?.Title, e.Feature, e.Value,
                            e.ConnectionId is { } c ? N(c) : null, e.Origin, e.ObservedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        }),
                        $"No history for profile '{found.Name}'.");
                }

                return ExitCodes.Ok;
            },
            ct));
        command.Add(DeleteHistory(context));
        return command;
    }

    private static Command DeleteHistory(Func<ParseResult, CliContext> context)
    {
        var profile = new Option<string>("--profile") { Description = "Profile name or id.", Required = true };
        var historyOnly = new Option<bool>("--history-only") { Description = "Delete the events but keep the current state." };
        var stateOnly = new Option<bool>("--state-only") { Description = "Delete the current state but keep the events." };
        var command = new Command("delete", "Delete a profile's history and state from Marquee (privacy). Servers are not touched.") { profile, historyOnly, stateOnly };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var found = await services.GetRequiredService<ProfileService>().FindAsync(parse.GetValue(profile)!, ct);
                var deleted = await services.GetRequiredService<ILedgerStore>().DeleteProfileDataAsync(found.Id, !parse.GetValue(stateOnly), !parse.GetValue(historyOnly), ct);
                await context(parse).Output.WriteLineAsync($"Deleted {deleted} rows of history and state for profile '{found.Name}'.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Unresolved(Func<ParseResult, CliContext> context)
    {
        var command = new Command("unresolved", "List items that could not be matched across connections, with the reason; they are retried on every run.") { GlobalOptions.Json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var items = await services.GetRequiredService<IIdentityStore>().ListUnresolvedAsync(ct);
                if (parse.GetValue(GlobalOptions.Json))
                {
                    CliJson.Write(ctx.Output, items);
                }
                else
                {
                    TextTable.Write(
                        ctx.Output,
                        ["Connection", "Key", "Kind", "Title", "Reason", "Detail", "Attempts"],
                        items.Select(u => new[] { u.ConnectionName, u.LocalKey, u.Kind, u.Title, u.Reason, u.Detail, N(u.Attempts) }),
                        "No unresolved items.");
                }

                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    /// <summary>Prints a run: its plan (dry run, held) or what it wrote, then the totals; <paramref name="perConnection"/> caps the changes listed per server.</summary>
    internal static async Task WriteReportAsync(TextWriter output, SyncReport report, IReadOnlyDictionary<long, string> profiles, bool dryRun, int perConnection = int.MaxValue)
    {
        var run = report.Run;
        var listed = new Dictionary<string, int>(StringComparer.Ordinal);
        var left = new Dictionary<string, int>(StringComparer.Ordinal);
        async Task LineAsync(string connection, string line)
        {
            var count = listed.GetValueOrDefault(connection);
            if (count < perConnection)
            {
                listed[connection] = count + 1;
                await output.WriteLineAsync(line);
            }
            else
            {
                left[connection] = left.GetValueOrDefault(connection) + 1;
            }
        }

        if (dryRun || run.Status == RunStatus.Held)
        {
            await output.WriteLineAsync($"Plan of flow '{run.Flow}' ({report.Plan.Count} changes):");
            foreach (var write in report.Plan)
            {
                var profile = profiles.GetValueOrDefault(write.ProfileId, write.ProfileId.ToString(CultureInfo.InvariantCulture));
                var skip = write.SkipReason is null ? string.Empty : $" [skipped: {write.SkipReason}]";
                await LineAsync(write.ConnectionName, $"  {write.ConnectionName} {profile}: {write.Action} '{write.Title ?? write.LocalKey}' ({write.Reason}){skip}");
            }
        }
        else
        {
            foreach (var write in report.Plan.Where(w => report.Outcomes.GetValueOrDefault(w.IdempotencyKey) is { } o && !o.StartsWith(WriteStatus.Skipped, StringComparison.Ordinal)))
            {
                var profile = profiles.GetValueOrDefault(write.ProfileId, write.ProfileId.ToString(CultureInfo.InvariantCulture));
                await LineAsync(write.ConnectionName, $"  {report.Outcomes[write.IdempotencyKey]}: {write.ConnectionName} {profile}: {write.Action} '{write.Title ?? write.LocalKey}' ({write.Reason})");
            }
        }

        foreach (var (connection, count) in left)
        {
            await output.WriteLineAsync($"  … and {count} more for {connection}");
        }

        await output.WriteLineAsync($"Run {run.Id} of flow '{run.Flow}': {run.Status}. Planned {run.Planned}, written {run.Written}, skipped {run.Skipped}, failed {run.Failed}, unresolved {run.Unresolved}.");
        if (run.Message is { Length: > 0 } message)
        {
            await output.WriteLineAsync($"  {message}");
        }

        TextTable.Write(
            output,
            ["Feature", "Planned", "Written", "Skipped", "Failed"],
            report.Features.Select(f => new[] { f.Feature, N(f.Planned), N(f.Written), N(f.Skipped), N(f.Failed) }),
            "  No changes.");
        if (run.Requests.Count > 0)
        {
            await output.WriteLineAsync("Requests:");
            foreach (var (endpoint, count) in run.Requests)
            {
                await output.WriteLineAsync($"  {count,6}  {endpoint}");
            }
        }
    }

    private static object ToJson(SyncReport report, IReadOnlyDictionary<long, string> profiles) => new
    {
        report.Run.Id,
        report.Run.Flow,
        report.Run.Status,
        report.Run.Trigger,
        report.Run.Planned,
        report.Run.Written,
        report.Run.Skipped,
        report.Run.Failed,
        report.Run.Unresolved,
        report.Run.Requests,
        report.Run.Message,
        report.Run.StartedAt,
        report.Run.FinishedAt,
        Features = report.Features,
        Plan = report.Plan.Select(w => new
        {
            Profile = profiles.GetValueOrDefault(w.ProfileId),
            Connection = w.ConnectionName,
            w.ItemId,
            w.Title,
            w.LocalKey,
            w.Feature,
            w.Action,
            w.Reason,
            w.SkipReason,
            Outcome = report.Outcomes.GetValueOrDefault(w.IdempotencyKey),
        }),
    };

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class SyncProgress(TextWriter output) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (output)
            {
                output.WriteLine(value);
            }
        }
    }
}
