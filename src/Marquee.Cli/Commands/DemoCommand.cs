using System.CommandLine;
using System.Text.Json.Nodes;
using Marquee.Core.Connections;
using Marquee.Core.Flows;
using Marquee.Core.Profiles;
using Marquee.Core.Sync;
using Marquee.Hosting;
using Marquee.Simulators.Jellyfin;
using Marquee.Simulators.Plex;
using Marquee.Simulators.Plex.Model;
using Marquee.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Cli.Commands;

/// <summary>
/// <c>marquee demo</c>: two simulated Plex servers over the same media (other ratingKeys and partly other agents)
/// and a simulated Jellyfin server with the same titles, with different histories for the owner, two Home users and
/// a friend; connections, profiles, a Plex ⇄ Plex and a Plex ⇄ Jellyfin flow in a fresh data folder; the dry-run
/// plans, the syncs, what changed; then the API until Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    /// <summary>How many changes per server the demo lists; the first sync to Jellyfin carries the whole Plex history.</summary>
    private const int Listed = 12;

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var noServe = new Option<bool>("--no-serve") { Description = "Stop after the sync instead of serving the API." };
        var urls = new Option<string?>("--urls") { Description = "Where to serve the API afterwards. Default http://127.0.0.1:0 (a free port).", HelpName = "URLS" };
        var command = new Command("demo", "Run Marquee end to end on two simulated Plex servers and a simulated Jellyfin server in a fresh data folder.") { noServe, urls };
        command.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var output = ctx.Output;
            var data = parse.GetValue(GlobalOptions.Data) is { Length: > 0 } given ? Path.GetFullPath(given) : Path.Combine(Path.GetTempPath(), "marquee-demo-" + Guid.NewGuid().ToString("N")[..8]);
            if (Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any())
            {
                throw new CliException($"The demo needs a fresh data folder, and {data} is not empty. Leave out --data to use a new temporary folder.", ExitCodes.Usage);
            }

            await output.WriteLineAsync($"Data folder: {data}");
            await output.WriteLineAsync("Starting two simulated Plex servers (same media, different ratingKeys and agents) and a simulated Jellyfin server (the same titles)...");
            // The simulated clocks start now: a rating read from Jellyfin carries no date, so Marquee dates it by its own clock, and Plex refuses a rating dated in its future.
            var start = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
            await using var left = await PlexSimulator.StartAsync(Options(0, start), ct);
            await using var right = await PlexSimulator.StartAsync(Options(1, start), ct);
            await using var plexTv = await PlexTvFederation.StartAsync([left, right], ct);
            var users = left.Accounts.OrderBy(a => a.Kind != SimAccountKind.Owner).Select(a => a.Name).ToList();
            await using var jellyfin = await JellyfinSimulator.StartAsync(
                new JellyfinSimulatorOptions { Seed = 7, Movies = 150, Shows = 4, Users = users.Count, UserNames = users, ApiKey = "demo-jellyfin-key", ClockStart = start, ServerName = "jellyfin" },
                ct);
            await output.WriteLineAsync($"  plex-a   {left.BaseUri}  ({left.State.ItemCount} items)");
            await output.WriteLineAsync($"  plex-b   {right.BaseUri}  ({right.State.ItemCount} items)");
            await output.WriteLineAsync($"  plex.tv  {plexTv.Uri}");
            await output.WriteLineAsync($"  jellyfin {jellyfin.BaseUri}  ({jellyfin.State.ItemCount} items, API key {jellyfin.ApiKey}, users {string.Join(", ", jellyfin.Users.Select(u => u.Name))})");
            Seed(left, right, jellyfin, start);
            await output.WriteLineAsync("Watch histories: owner, kid and partner (Home users) and bob (a friend) each watched, rated and half-watched different items on each server.");

            var extra = new Dictionary<string, string?>
            {
                [$"{MarqueeOptions.Section}:DataFolder"] = data,
                [$"{MarqueeOptions.Section}:ConfigFile"] = string.Empty,
                ["Marquee:Plex:PlexTvUrl"] = plexTv.Uri.ToString(),
            };
            var code = await ctx.WithServicesAsync(
                async services =>
                {
                    var connections = services.GetRequiredService<ConnectionService>();
                    await connections.CreateAsync("plex-a", "plex", new JsonObject { ["url"] = left.BaseUri.ToString(), ["token"] = left.Owner.AccountToken }, ct);
                    await connections.CreateAsync("plex-b", "plex", new JsonObject { ["url"] = right.BaseUri.ToString(), ["token"] = right.Owner.AccountToken }, ct);
                    await connections.CreateAsync("jellyfin", "jellyfin", new JsonObject { ["url"] = jellyfin.BaseUri.ToString(), ["apiKey"] = jellyfin.ApiKey }, ct);
                    await output.WriteLineAsync("Added connections plex-a, plex-b and jellyfin.");
                    var flows = services.GetRequiredService<FlowService>();
                    var plexFlow = await flows.CreateAsync(
                        new FlowInput { Name = "demo", From = "plex-a", To = "plex-b", TwoWay = true, Features = ["watched", "ratings", "progress"] },
                        ct);
                    await output.WriteLineAsync("Added flow 'demo': plex-a <-> plex-b, watched + ratings + progress, mirror mode.");
                    var jellyfinFlow = await flows.CreateAsync(
                        new FlowInput { Name = "plex-jellyfin", From = "plex-a", To = "jellyfin", TwoWay = true, Features = ["watched", "ratings", "progress"], Filters = new FlowFilters { Libraries = ["Movies"] } },
                        ct);
                    await output.WriteLineAsync("Added flow 'plex-jellyfin': plex-a <-> jellyfin, library Movies, watched + ratings + progress, mirror mode (Jellyfin keeps the original watch dates).");
                    var runner = services.GetRequiredService<FlowRunner>();
                    var profiles = new Dictionary<long, string>();
                    var runs = new List<SyncReport>();
                    foreach (var flow in new[] { plexFlow, jellyfinFlow })
                    {
                        await output.WriteLineAsync();
                        await output.WriteLineAsync($"== Dry run of flow '{flow.Name}' (nothing is written) ==");
                        var plan = await runner.RunAsync(flow, new SyncOptions { DryRun = true, Trigger = "demo" }, null, ct);
                        if (profiles.Count == 0)
                        {
                            profiles = (await services.GetRequiredService<ProfileService>().ListAsync(ct)).ToDictionary(p => p.Id, p => p.Name);
                            await output.WriteLineAsync($"Profiles mapped across the servers: {string.Join(", ", profiles.Values.Order(StringComparer.Ordinal))}");
                        }

                        await SyncCommands.WriteReportAsync(output, plan, profiles, dryRun: true, Listed);

                        await output.WriteLineAsync();
                        await output.WriteLineAsync($"== Sync of flow '{flow.Name}' ==");
                        var run = await runner.RunAsync(flow, new SyncOptions { Trigger = "demo" }, null, ct);
                        await SyncCommands.WriteReportAsync(output, run, profiles, dryRun: false, Listed);
                        runs.Add(run);
                    }

                    // What came from Jellyfin reached plex-a after the Plex flow ran, so one more run carries it on to plex-b.
                    await output.WriteLineAsync();
                    await output.WriteLineAsync("== Second sync (what came from Jellyfin moves on to plex-b; then a finished sync makes no writes) ==");
                    var again = new List<SyncReport>();
                    foreach (var flow in new[] { plexFlow, jellyfinFlow, plexFlow })
                    {
                        var report = await runner.RunAsync(flow, new SyncOptions { Trigger = "demo" }, null, ct);
                        await SyncCommands.WriteReportAsync(output, report, profiles, dryRun: false, Listed);
                        again.Add(report);
                    }

                    var unresolved = await services.GetRequiredService<IIdentityStore>().ListUnresolvedAsync(ct);
                    await output.WriteLineAsync($"Unresolved items (no usable ids, listed with the reason, never guessed): {unresolved.Count}; see: marquee unresolved --data {data}");
                    var settled = again[1].Run.Written == 0 && again[2].Run.Written == 0;
                    return runs.Concat(again).All(r => r.Run.Status == RunStatus.Done) && settled ? ExitCodes.Ok : ExitCodes.Failure;
                },
                ct,
                extra);
            if (code != ExitCodes.Ok || parse.GetValue(noServe))
            {
                await output.WriteLineAsync(code == ExitCodes.Ok ? "Demo finished." : "Demo failed.");
                return code;
            }

            extra[$"{MarqueeOptions.Section}:Server:Urls"] = parse.GetValue(urls) ?? "http://127.0.0.1:0";
            var builder = MarqueeBuilder.CreateBuilder();
            builder.Configuration.AddConfiguration(ctx.BuildConfiguration(extra));
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddMarquee(ctx.Environment);
            await using var app = builder.Build();
            app.UseMarquee();
            await app.Services.GetRequiredService<MarqueeStartup>().InitializeAsync(ct);
            await app.StartAsync(ct);
            foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            {
                await output.WriteLineAsync($"Serving the API on {address} (try: curl -H \"X-Api-Key: $(./marquee apikey --data {data})\" {address}/api/runs). Press Ctrl+C to stop.");
            }

            await output.FlushAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static PlexSimulatorOptions Options(int variant, DateTimeOffset start) =>
        new() { Seed = 7, Variant = variant, Movies = 150, Shows = 4, HomeUsers = 2, Friends = 1, ClockStart = start, ServerName = variant == 0 ? "plex-a" : "plex-b" };

    /// <summary>Gives each account a different history on each server, through the simulators' control API.</summary>
    private static void Seed(PlexSimulator left, PlexSimulator right, JellyfinSimulator jellyfin, DateTimeOffset start)
    {
        static List<PlexItem> Movies(PlexSimulator sim) =>
            sim.State.Sections.Where(s => s.Title == "Movies").SelectMany(s => sim.State.ItemsOfType(s.Id, ItemType.Movie))
                .Where(m => m.EditionTitle is null && !m.PrimaryGuid.StartsWith("local://", StringComparison.Ordinal)).ToList();
        var rightMovies = Movies(right).GroupBy(m => m.Title).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        bool Untouched(PlexSimulator sim, PlexItem item) => sim.Accounts.All(a => sim.State.State(a, item).IsEmpty);

        // Items nobody has touched on either server yet, so every change below is visible in the plan.
        var fresh = Movies(left).Where(m => rightMovies.TryGetValue(m.Title, out var other) && Untouched(left, m) && Untouched(right, other))
            .GroupBy(m => m.Title).Where(g => g.Count() == 1).Select(g => g.Single()).OrderBy(m => m.Title, StringComparer.Ordinal).ToList();
        PlexItem On(PlexItem item) => rightMovies[item.Title];
        var kid = left.Accounts.First(a => a.Kind == SimAccountKind.Home).Name;
        var friend = left.Accounts.First(a => a.Kind == SimAccountKind.Friend).Name;
        foreach (var sim in new[] { left, right })
        {
            sim.Control.SetClock(start);
        }

        left.Control.Mark("owner", fresh[0].RatingKey, watched: true);
        left.Control.Mark("owner", fresh[1].RatingKey, watched: true);
        right.Control.Mark("owner", On(fresh[2]).RatingKey, watched: true);
        left.Control.Play("owner", fresh[3].RatingKey, fresh[3].Duration / 2, stop: true);
        left.State.Rate(left.Control.Account("owner"), fresh[4], 8, left.State.Now);
        right.Control.Mark(kid, On(fresh[5]).RatingKey, watched: true);
        left.Control.Mark(kid, fresh[6].RatingKey, watched: true);
        right.State.Rate(right.Control.Account(friend), On(fresh[7]), 6.5, right.State.Now);
        left.Control.Mark(friend, fresh[8].RatingKey, watched: true);

        // On Jellyfin: a watch three days ago (Jellyfin keeps its date), a rating and a half-watched movie.
        string OnJellyfin(PlexItem item) => jellyfin.State.Items().First(i => i.Type == "Movie" && i.Name == item.Title).Id;
        jellyfin.Control.SetClock(start);
        jellyfin.Control.Mark("owner", OnJellyfin(fresh[9]), played: true, datePlayed: start.AddDays(-3));
        jellyfin.State.Update(jellyfin.Control.User(kid), jellyfin.Control.Item(OnJellyfin(fresh[10])), d => d with { Rating = 9 }, "UpdateUserRating");
        jellyfin.Control.Play("owner", OnJellyfin(fresh[11]), jellyfin.Control.Item(OnJellyfin(fresh[11])).RunTimeTicks!.Value / 3, stop: true);
        foreach (var sim in new[] { left, right })
        {
            sim.Control.AdvanceClock(TimeSpan.FromMinutes(10));
        }

        jellyfin.Control.AdvanceClock(TimeSpan.FromMinutes(10));
    }
}
