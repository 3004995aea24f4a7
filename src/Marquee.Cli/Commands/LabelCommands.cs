using System.CommandLine;
using System.Globalization;
using Marquee.Cli.Output;
using Marquee.Core.Labels;
using Marquee.Core.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Marquee.Cli.Commands;

/// <summary>
/// <c>marquee labels settings|sync|remove-all</c>: Plex labels for who wants an item (<c>{prefix}:{user}</c>) and the
/// Sonarr/Radarr tags it carries (<c>{prefix}:{tag}</c>).
/// </summary>
internal static class LabelCommands
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var command = new Command("labels", "Label Plex items with who wants them and their Sonarr/Radarr tags.");
        command.Add(Settings(context));
        command.Add(Run(context, "sync", "Run a full label sync now: read every source, list Plex once per library, edit only the items that differ."));
        command.Add(Run(context, "remove-all", "Take every label starting with the prefix off every Plex item."));
        command.Add(Pending(context));
        return command;
    }

    private static Command Settings(Func<ParseResult, CliContext> context)
    {
        var prefix = new Option<string?>("--prefix") { Description = "The prefix of Marquee's labels (default marquee): letters, digits, '-', '_', '.'." };
        var plex = new Option<string?>("--plex") { Description = "The Plex connection to label (default: the only one)." };
        var profiles = new Option<string?>("--profiles") { Description = "Comma-separated profiles whose wants count; empty for every profile." };
        var alias = new Option<string[]>("--alias") { Description = "PROFILE=NAME: the name used in that profile's label; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var watchlists = new Option<bool?>("--watchlists") { Description = "Whether the profiles' Plex watchlists count (true or false)." };
        var seerr = new Option<string?>("--seerr") { Description = "Comma-separated Overseerr/Jellyseerr/Seerr connections whose requests count." };
        var tags = new Option<string?>("--tag-instances") { Description = "Comma-separated Radarr/Sonarr connections whose tags become labels." };
        var exclude = new Option<string?>("--exclude-tags") { Description = "Pattern of tags never copied (default '^\\d+-', the request managers' user tags such as 1-alice)." };
        var mode = new Option<string?>("--removed-mode") { Description = "When a user no longer wants an item: remove, keep or special." };
        var marker = new Option<string?>("--removed-label") { Description = "The marker after the prefix in special mode (default removed)." };
        var orphans = new Option<bool?>("--cleanup-orphans") { Description = "Whether labels of users and tags that no longer exist are taken off (true or false)." };
        var concurrency = new Option<int?>("--concurrency") { Description = "Label edits at once, 1 to 20 (default 5).", HelpName = "N" };
        var expiry = new Option<int?>("--pending-expiry-days") { Description = "Days a title not in Plex yet stays pending before retries stop, 1 to 365 (default 30).", HelpName = "DAYS" };
        var schedule = new Option<string?>("--schedule") { Description = "Cron schedule of the full sync (five fields, UTC); 'none' for none. Replaces --at and --days." };
        var at = new Option<string?>("--at") { Description = "Time of day of the full sync (HH:mm, UTC), instead of a cron schedule; 'none' for none.", HelpName = "HH:mm" };
        var days = new Option<string?>("--days") { Description = "Comma-separated days of the week for --at (mon,tue or monday); 'all' or empty for every day.", HelpName = "DAYS" };
        var json = GlobalOptions.Json;
        var command = new Command("settings", "Show the label settings, or change the ones given.")
        {
            prefix, plex, profiles, alias, watchlists, seerr, tags, exclude, mode, marker, orphans, concurrency, expiry, schedule, at, days, json,
        };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var labels = services.GetRequiredService<LabelSyncService>();
                var settings = await labels.GetSettingsAsync(ct);
                var aliases = new Dictionary<string, string>(settings.Aliases, StringComparer.OrdinalIgnoreCase);
                foreach (var pair in parse.GetValue(alias) ?? [])
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new CliException($"--alias must be PROFILE=NAME, not '{pair}'.", ExitCodes.Usage);
                    }

                    aliases[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
                }

                var changed = settings with
                {
                    Prefix = parse.GetValue(prefix) ?? settings.Prefix,
                    Plex = parse.GetValue(plex) is { } p ? (p.Length == 0 ? null : p) : settings.Plex,
                    Profiles = List(parse.GetValue(profiles)) ?? settings.Profiles,
                    Aliases = aliases,
                    Watchlists = parse.GetValue(watchlists) ?? settings.Watchlists,
                    Seerr = List(parse.GetValue(seerr)) ?? settings.Seerr,
                    TagInstances = List(parse.GetValue(tags)) ?? settings.TagInstances,
                    ExcludeTags = parse.GetValue(exclude) ?? settings.ExcludeTags,
                    RemovedMode = parse.GetValue(mode) ?? settings.RemovedMode,
                    RemovedLabel = parse.GetValue(marker) ?? settings.RemovedLabel,
                    CleanupOrphans = parse.GetValue(orphans) ?? settings.CleanupOrphans,
                    Concurrency = parse.GetValue(concurrency) ?? settings.Concurrency,
                    PendingExpiryDays = parse.GetValue(expiry) ?? settings.PendingExpiryDays,
                };
                changed = Scheduled(changed, parse.GetValue(schedule), parse.GetValue(at), parse.GetValue(days));
                if (changed != settings || !aliases.SequenceEqual(settings.Aliases))
                {
                    settings = await labels.SaveSettingsAsync(changed, ct);
                }

                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, settings);
                    return ExitCodes.Ok;
                }

                await ctx.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                    prefix           {settings.Prefix}
                    plex             {settings.Plex ?? "(the only Plex connection)"}
                    profiles         {(settings.Profiles.Count == 0 ? "(all)" : string.Join(", ", settings.Profiles))}
                    aliases          {string.Join(", ", settings.Aliases.Select(a => $"{a.Key}={a.Value}"))}
                    watchlists       {settings.Watchlists}
                    seerr            {string.Join(", ", settings.Seerr)}
                    tag instances    {string.Join(", ", settings.TagInstances)}
                    exclude tags     {settings.ExcludeTags}
                    removed mode     {settings.RemovedMode} (marker {settings.Prefix}:{settings.RemovedLabel})
                    cleanup orphans  {settings.CleanupOrphans}
                    concurrency      {settings.Concurrency}
                    pending expiry   {settings.PendingExpiryDays} days
                    schedule         {Describe(settings)}
                    next run         {(settings.NextRun(services.GetRequiredService<TimeProvider>().GetUtcNow()) is { } next ? $"{next:yyyy-MM-dd HH:mm}Z" : "(none)")}
                    """));
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    private static Command Run(Func<ParseResult, CliContext> context, string name, string description)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only: show what would change, edit nothing." };
        var json = GlobalOptions.Json;
        var command = new Command(name, description) { dryRun, json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var labels = services.GetRequiredService<LabelSyncService>();
                var last = string.Empty;
                void Progress(LabelProgress p)
                {
                    // Phase changes and every tenth of the edits, on the error stream so --json output stays clean.
                    var line = p.Total == 0 ? p.Phase : $"{p.Phase} {p.Done}/{p.Total}";
                    if (p.Total == 0 || p.Done == p.Total || p.Done % Math.Max(1, p.Total / 10) == 0)
                    {
                        lock (ctx.Error)
                        {
                            if (line != last)
                            {
                                last = line;
                                ctx.Error.WriteLine(line);
                            }
                        }
                    }
                }

                LabelSyncReport report;
                try
                {
                    report = name == "sync"
                        ? await labels.SyncAsync(parse.GetValue(dryRun), Progress, ct)
                        : await labels.RemoveAllAsync(parse.GetValue(dryRun), Progress, ct);
                }
                catch (ProviderException ex)
                {
                    throw new CliException($"label {name} stopped, nothing was removed because of it: {ex.Message}", ExitCodes.Failure);
                }

                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, new
                    {
                        report.DryRun,
                        report.Items,
                        report.Users,
                        changes = report.Planned.Count,
                        report.Edited,
                        report.Failed,
                        sourceFailures = report.SourceFailures,
                        pending = report.Pending,
                        pendingResolved = report.PendingResolved,
                        plexRequests = report.PlexRequests,
                        edits = report.Planned.Select(e => new { key = e.Target.LocalKey, title = e.Target.Title, added = e.Added, removed = e.Removed }),
                    });
                }
                else
                {
                    foreach (var edit in report.Planned.Take(50))
                    {
                        await ctx.Output.WriteLineAsync($"{edit.Target.Title} ({edit.Target.LocalKey}): {string.Join(" ", edit.Added.Select(a => "+" + a).Concat(edit.Removed.Select(r => "-" + r)))}");
                    }

                    foreach (var failure in report.SourceFailures)
                    {
                        await ctx.Output.WriteLineAsync($"not read: {failure.Source}: {failure.Reason} (its labels were kept)");
                    }

                    await ctx.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{report.Items} items, {report.Users} users: {report.Planned.Count} to change, {report.Edited} edited{(report.DryRun ? " (dry run)" : string.Empty)}, {report.Failed.Count} failed; {report.Pending} pending (not in Plex yet), {report.PendingResolved} resolved."));
                    foreach (var failure in report.Failed.Take(10))
                    {
                        await ctx.Error.WriteLineAsync("failed: " + failure);
                    }
                }

                return report.Failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            },
            ct));
        return command;
    }

    private static Command Pending(Func<ParseResult, CliContext> context)
    {
        var json = GlobalOptions.Json;
        var command = new Command("pending", "List the wants and tags whose title is not in Plex yet, with their next retry and expiry.") { json };
        command.SetAction((parse, ct) => context(parse).WithServicesAsync(
            async services =>
            {
                var ctx = context(parse);
                var pending = await services.GetRequiredService<LabelSyncService>().GetPendingAsync(ct);
                if (parse.GetValue(json))
                {
                    CliJson.Write(ctx.Output, pending);
                    return ExitCodes.Ok;
                }

                var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
                foreach (var p in pending)
                {
                    var state = p.ExpiresAt <= now ? "expired" : $"next try {p.NextAttempt:yyyy-MM-dd HH:mm}Z";
                    await ctx.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{p.Kind} {p.Name}: {p.Title ?? "(untitled)"} {(p.IsShow ? "show" : "movie")} [{string.Join(' ', p.Ids)}] since {p.FirstSeen:yyyy-MM-dd HH:mm}Z, {p.Attempts} tries, {state}"));
                }

                await ctx.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{pending.Count(p => p.ExpiresAt > now)} pending, {pending.Count(p => p.ExpiresAt <= now)} expired."));
                return ExitCodes.Ok;
            },
            ct));
        return command;
    }

    /// <summary>
    /// Applies <c>--schedule</c>, <c>--at</c> and <c>--days</c>: a cron schedule given alone replaces a stored time of day
    /// and its days, a time of day or days given alone replace a stored cron schedule; both given are refused by validation.
    /// </summary>
    private static LabelSettings Scheduled(LabelSettings settings, string? schedule, string? at, string? days)
    {
        static bool None(string value) => value.Trim() is "" or "none";
        if (schedule is not null)
        {
            settings = settings with { Schedule = None(schedule) ? null : schedule };
            if (at is null && days is null && settings.Schedule is not null)
            {
                settings = settings with { At = null, Days = [] };
            }
        }

        if (at is not null)
        {
            settings = settings with { At = None(at) ? null : at.Trim(), Days = None(at) && days is null ? [] : settings.Days };
        }

        if (days is not null)
        {
            settings = settings with { Days = days.Trim() is "" or "all" ? [] : List(days)! };
        }

        if (schedule is null && (at ?? days) is not null && settings.At is not null)
        {
            settings = settings with { Schedule = null };
        }

        return settings;
    }

    private static string Describe(LabelSettings settings) =>
        settings.Schedule ?? (settings.At is { } at ? $"at {at} UTC, {(settings.Days.Count == 0 ? "every day" : string.Join(", ", settings.Days))}" : "(none)");

    private static IReadOnlyList<string>? List(string? value) =>
        value is null ? null : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
