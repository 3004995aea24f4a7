using System.CommandLine;
using System.Globalization;
using Marquee.Cli.Output;
using Marquee.Core.Care;
using Marquee.Core.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

/// <summary>
/// <c>marquee sessions [--json] [--evaluate]</c>: the current sessions with the rules they match and the latest actions;
/// <c>marquee trash [LIBRARY] [--empty] [--dry-run] [--max N]</c>: trash counts, and emptying with the maximum guard.
/// Rules and trash settings declared under <c>care:</c> in marquee.yaml are stored at every start.
/// </summary>
internal static class CareCommands
{
    public static Command Sessions(Func<ParseResult, CliContext> context)
    {
        var connection = new Option<string?>("--connection") { Description = "The Plex connection (default: the only one)." };
        var evaluate = new Option<bool>("--evaluate") { Description = "Apply the rules now (stop or notify what matches) instead of only showing what matches." };
        var json = GlobalOptions.Json;
        var command = new Command("sessions", "Show the current sessions with the session rules they match, and the latest rule actions.") { connection, evaluate, json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var rules = services.GetRequiredService<SessionRuleService>();
                var act = parse.GetValue(evaluate);
                var evaluations = await rules.EvaluateAsync("cli", parse.GetValue(connection), ct, act);
                var actions = act ? [.. evaluations.SelectMany(e => e.Actions)] : await services.GetRequiredService<ICareStore>().ListActionsAsync(SessionRuleService.Kind, 20, ct);
                var sessions = evaluations.SelectMany(e => e.Sessions.Select(m => (e.Connection, Match: m))).ToList();
                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, new
                    {
                        sessions = sessions.Select(s => new
                        {
                            connection = s.Connection,
                            sessionId = s.Match.Session.SessionId,
                            user = s.Match.Session.UserName,
                            device = s.Match.Session.Player,
                            platform = s.Match.Session.Platform,
                            product = s.Match.Session.Product,
                            title = s.Match.Session.Title,
                            state = s.Match.Session.State,
                            library = s.Match.Session.LibraryTitle,
                            videoDecision = s.Match.Session.VideoDecision,
                            audioDecision = s.Match.Session.AudioDecision,
                            sourceHeight = s.Match.Session.SourceHeight,
                            remote = s.Match.Session.Remote,
                            bandwidthKbps = s.Match.Session.BandwidthKbps,
                            rules = s.Match.Rules.Select(r => r.Name),
                        }),
                        actions,
                    });
                    return ExitCodes.Ok;
                }

                TextTable.Write(
                    ctx.Output,
                    ["USER", "DEVICE", "TITLE", "STATE", "STREAM", "RULES"],
                    sessions.Select(s => (IReadOnlyList<string?>)[s.Match.Session.UserName, s.Match.Session.Player, s.Match.Session.Title, s.Match.Session.State, Stream(s.Match.Session), string.Join(", ", s.Match.Rules.Select(r => r.Name))]),
                    "No sessions.");
                await ctx.Output.WriteLineAsync();
                TextTable.Write(
                    ctx.Output,
                    ["WHEN", "RULE", "ACTION", "USER", "DEVICE", "TITLE", "MESSAGE", "OUTCOME"],
                    actions.Select(a => (IReadOnlyList<string?>)[a.At.ToString("u", CultureInfo.InvariantCulture), a.Rule, a.Action, a.User, a.Device, a.Title, a.Message, a.Outcome]),
                    act ? "No rule acted." : "No rule has acted yet.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    /// <summary><c>marquee care rule list|add|remove</c>: the session rules, checked as the API checks them.</summary>
    public static Command Care(Func<ParseResult, CliContext> context)
    {
        var json = GlobalOptions.Json;
        var list = new Command("list", "List the session rules.") { json };
        list.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var rules = await services.GetRequiredService<SessionRuleService>().ListAsync(ct);
                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, rules);
                    return ExitCodes.Ok;
                }

                TextTable.Write(
                    ctx.Output,
                    ["NAME", "ACTION", "SCOPE", "CONDITIONS", "DRY RUN", "ENABLED"],
                    rules.Select(r => (IReadOnlyList<string?>)[r.Name, r.Action, Scope(r), Conditions(r), r.DryRun ? "yes" : "no", r.Enabled ? "yes" : "no"]),
                    "No session rules.");
                return ExitCodes.Ok;
            },
            ct));

        var name = new Argument<string>("NAME") { Description = "The rule's name." };
        var action = new Option<string?>("--action") { Description = "stop (default) or notify." };
        var message = new Option<string?>("--message") { Description = "What a stopped viewer is shown." };
        var grace = new Option<int?>("--grace-seconds") { Description = "How long a session must keep matching first.", HelpName = "N" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Record what would be done, stop nothing." };
        var users = new Option<string[]>("--user") { Description = "A user the rule applies to (repeat; default everyone).", AllowMultipleArgumentsPerToken = false };
        var devices = new Option<string[]>("--device") { Description = "A device (player name or identifier) the rule applies to (repeat)." };
        var exemptUsers = new Option<string[]>("--exempt-user") { Description = "A user the rule spares (repeat)." };
        var exemptDevices = new Option<string[]>("--exempt-device") { Description = "A device the rule spares (repeat)." };
        var perUser = new Option<int?>("--max-streams-per-user") { Description = "Streams above N per user match.", HelpName = "N" };
        var perServer = new Option<int?>("--max-streams-per-server") { Description = "Streams above N on the server match.", HelpName = "N" };
        var transcode = new Option<string?>("--transcode") { Description = "video, audio or any." };
        var resolution = new Option<string?>("--min-resolution") { Description = "4k, 1080, 720… (the source's)." };
        var remote = new Option<bool>("--remote") { Description = "Only remote sessions." };
        var bandwidth = new Option<long?>("--min-bandwidth-kbps") { Description = "Remote sessions above this bandwidth.", HelpName = "KBPS" };
        var paused = new Option<int?>("--paused-minutes") { Description = "Paused longer than N minutes.", HelpName = "N" };
        var libraries = new Option<string[]>("--library") { Description = "A library the rule applies to (repeat)." };
        var between = new Option<string?>("--between") { Description = "HH:mm-HH:mm, UTC." };
        var connection = new Option<string?>("--connection") { Description = "The Plex connection (default: the only one)." };
        var add = new Command("add", "Add or replace a session rule (checked as the API checks it: a bad value exits with code 2 naming the field).")
        {
            name, action, message, grace, dryRun, users, devices, exemptUsers, exemptDevices, perUser, perServer, transcode, resolution, remote, bandwidth, paused, libraries, between, connection,
        };
        add.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var rule = new SessionRule
                {
                    Name = parse.GetValue(name)!,
                    Connection = parse.GetValue(connection),
                    Action = parse.GetValue(action) ?? RuleActions.Stop,
                    Message = parse.GetValue(message),
                    GraceSeconds = parse.GetValue(grace) ?? 0,
                    DryRun = parse.GetValue(dryRun),
                    Users = parse.GetValue(users) ?? [],
                    Devices = parse.GetValue(devices) ?? [],
                    ExemptUsers = parse.GetValue(exemptUsers) ?? [],
                    ExemptDevices = parse.GetValue(exemptDevices) ?? [],
                    MaxStreamsPerUser = parse.GetValue(perUser),
                    MaxStreamsPerServer = parse.GetValue(perServer),
                    Transcode = parse.GetValue(transcode),
                    MinResolution = parse.GetValue(resolution),
                    Remote = parse.GetValue(remote) ? true : null,
                    MinBandwidthKbps = parse.GetValue(bandwidth),
                    PausedMinutes = parse.GetValue(paused),
                    Libraries = parse.GetValue(libraries) ?? [],
                    Between = parse.GetValue(between),
                };
                var saved = await services.GetRequiredService<SessionRuleService>().SaveAsync(rule, ct);
                await context(parse).Output.WriteLineAsync($"Session rule {saved.Name} saved ({saved.Action}{(saved.DryRun ? ", dry run" : string.Empty)}).");
                return ExitCodes.Ok;
            },
            ct));

        var gone = new Argument<string>("NAME") { Description = "The rule's name." };
        var remove = new Command("remove", "Remove a session rule.") { gone };
        remove.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                await services.GetRequiredService<SessionRuleService>().DeleteAsync(parse.GetValue(gone)!, ct);
                await context(parse).Output.WriteLineAsync($"Session rule {parse.GetValue(gone)} removed.");
                return ExitCodes.Ok;
            },
            ct));
        return new Command("care", "Library care settings.")
        {
            new Command("rule", "Session rules: list, add or replace, remove.") { list, add, remove },
            TrashSettings(context),
        };
    }

    /// <summary><c>marquee care trash list|set|remove</c>: scheduled trash emptying per library, checked as the API checks it.</summary>
    private static Command TrashSettings(Func<ParseResult, CliContext> context)
    {
        var json = GlobalOptions.Json;
        var list = new Command("list", "List the libraries whose trash is emptied on a schedule.") { json };
        list.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var settings = await services.GetRequiredService<TrashService>().ListAsync(ct);
                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, settings);
                    return ExitCodes.Ok;
                }

                TextTable.Write(
                    ctx.Output,
                    ["LIBRARY", "CONNECTION", "SCHEDULE", "MAX ITEMS", "DRY RUN", "ENABLED"],
                    settings.Select(t => (IReadOnlyList<string?>)[t.Library, t.Connection ?? "(the only one)", t.Schedule ?? $"{t.Frequency} {t.At}".Trim(), t.MaxItems.ToString(System.Globalization.CultureInfo.InvariantCulture), t.DryRun ? "yes" : "no", t.Enabled ? "yes" : "no"]),
                    "No trash emptying is scheduled.");
                return ExitCodes.Ok;
            },
            ct));

        var library = new Argument<string>("LIBRARY") { Description = "The library (title or key)." };
        var connection = new Option<string?>("--connection") { Description = "The Plex connection (default: the only one)." };
        var schedule = new Option<string?>("--schedule") { Description = "A five-field cron expression (UTC); or --frequency with --at.", HelpName = "CRON" };
        var frequency = new Option<string?>("--frequency") { Description = "hourly, daily or weekly (Sundays)." };
        var at = new Option<string?>("--at") { Description = "Time of day (UTC, HH:mm) for --frequency; the minute for hourly.", HelpName = "HH:MM" };
        var max = new Option<int?>("--max") { Description = "The most items an emptying may delete; above it Marquee refuses and notifies (default 50).", HelpName = "N" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count and record, delete nothing." };
        var disabled = new Option<bool>("--disabled") { Description = "Keep the setting but do not run it." };
        var set = new Command("set", "Add or replace a library's scheduled emptying (a bad value exits with code 2 naming the field).") { library, connection, schedule, frequency, at, max, dryRun, disabled };
        set.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var saved = await services.GetRequiredService<TrashService>().SaveAsync(
                    new TrashSetting
                    {
                        Library = parse.GetValue(library)!,
                        Connection = parse.GetValue(connection),
                        Schedule = parse.GetValue(schedule),
                        Frequency = parse.GetValue(frequency),
                        At = parse.GetValue(at),
                        MaxItems = parse.GetValue(max) ?? new TrashSetting().MaxItems,
                        DryRun = parse.GetValue(dryRun),
                        Enabled = !parse.GetValue(disabled),
                    },
                    ct);
                await context(parse).Output.WriteLineAsync($"Trash of {saved.Library} is emptied {(saved.Schedule is { } cron ? "at cron '" + cron + "'" : $"{saved.Frequency} {saved.At}".Trim())}, never above {saved.MaxItems} items{(saved.DryRun ? " (dry run)" : string.Empty)}.");
                return ExitCodes.Ok;
            },
            ct));

        var gone = new Argument<string>("LIBRARY") { Description = "The library (title or key)." };
        var remove = new Command("remove", "Stop emptying a library's trash on a schedule.") { gone };
        remove.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                await services.GetRequiredService<TrashService>().DeleteAsync(parse.GetValue(gone)!, ct);
                await context(parse).Output.WriteLineAsync($"Trash of {parse.GetValue(gone)} is no longer emptied on a schedule.");
                return ExitCodes.Ok;
            },
            ct));
        return new Command("trash", "Scheduled trash emptying: list, set, remove.") { list, set, remove };
    }

    private static string Scope(SessionRule r) =>
        string.Join("; ", new[]
        {
            r.Users.Count > 0 ? "users " + string.Join(", ", r.Users) : null,
            r.Devices.Count > 0 ? "devices " + string.Join(", ", r.Devices) : null,
            r.ExemptUsers.Count > 0 ? "except users " + string.Join(", ", r.ExemptUsers) : null,
            r.ExemptDevices.Count > 0 ? "except devices " + string.Join(", ", r.ExemptDevices) : null,
        }.Where(p => p is not null).DefaultIfEmpty("everyone"));

    private static string Conditions(SessionRule r) =>
        string.Join("; ", new[]
        {
            r.MaxStreamsPerUser is { } u ? $"> {u} per user" : null,
            r.MaxStreamsPerServer is { } v ? $"> {v} on the server" : null,
            r.Transcode is { } t ? $"transcode {t}" : null,
            r.MinResolution is { } m ? $"from {m}" : null,
            r.Remote == true ? "remote" : null,
            r.MinBandwidthKbps is { } b ? $"above {b} kbps" : null,
            r.PausedMinutes is { } p ? $"paused {p} min" : null,
            r.Libraries.Count > 0 ? "libraries " + string.Join(", ", r.Libraries) : null,
            r.Between is { } w ? "between " + w : null,
        }.Where(p => p is not null).DefaultIfEmpty("-"));

    public static Command Trash(Func<ParseResult, CliContext> context)
    {
        var library = new Argument<string?>("LIBRARY") { Description = "The library (title or key); all movie and show libraries when left out.", Arity = ArgumentArity.ZeroOrOne };
        var connection = new Option<string?>("--connection") { Description = "The Plex connection (default: the only one)." };
        var empty = new Option<bool>("--empty") { Description = "Empty the library's trash now, unless it holds more than the maximum." };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --empty: count and record, delete nothing." };
        var max = new Option<int?>("--max") { Description = "With --empty: the most items to delete (default: the library's setting, else 50).", HelpName = "N" };
        var json = GlobalOptions.Json;
        var command = new Command("trash", "Show how many items each library's trash holds, or empty one library's trash (never above its maximum).") { library, connection, empty, dryRun, max, json };
        command.Validators.Add(result =>
        {
            int? limit;
            try
            {
                limit = result.GetValue(max);
            }
            catch (InvalidOperationException)
            {
                // Not a number: the parser reports it.
                return;
            }

            if (result.GetValue(empty) && result.GetValue(library) is null)
            {
                result.AddError("--empty needs a LIBRARY.");
            }

            if (!result.GetValue(empty) && (result.GetValue(dryRun) || limit is not null))
            {
                result.AddError("--dry-run and --max go with --empty.");
            }

            if (limit < 0)
            {
                result.AddError("--max cannot be negative.");
            }
        });
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var trash = services.GetRequiredService<TrashService>();
                if (parse.GetValue(empty))
                {
                    var action = await trash.EmptyAsync(parse.GetValue(connection), parse.GetValue(library)!, parse.GetValue(max), parse.GetValue(dryRun) ? true : null, "cli", ct);
                    if (parse.GetValue(json))
                    {
                        CliJson.Write(ctx.Output, action);
                    }
                    else
                    {
                        await ctx.Output.WriteLineAsync($"{action.Title}: {action.Message} ({action.Outcome})");
                    }

                    return action.Outcome is "done" or "dry-run" ? ExitCodes.Ok : ExitCodes.Failure;
                }

                var counts = await trash.CountAsync(parse.GetValue(connection), parse.GetValue(library), ct);
                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, counts);
                    return ExitCodes.Ok;
                }

                TextTable.Write(
                    ctx.Output,
                    ["LIBRARY", "KEY", "IN TRASH", "MAX", "SCHEDULE"],
                    counts.Select(c => (IReadOnlyList<string?>)[c.Library, c.LibraryKey, c.Count.ToString(CultureInfo.InvariantCulture), c.Setting?.MaxItems.ToString(CultureInfo.InvariantCulture), c.Setting?.Cron()]),
                    "No libraries.");
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static string Stream(PlaybackSession s) =>
        $"{(s.VideoDecision == "transcode" ? "video transcode" : s.VideoDecision)}{(s.AudioDecision == "transcode" ? ", audio transcode" : string.Empty)}" +
        $"{(s.SourceHeight is { } h ? $", {(h >= 2160 ? "4K" : h + "p")}" : string.Empty)}{(s.Remote ? $", remote {s.BandwidthKbps} kbps" : string.Empty)}";
}
