using Marquee.Core;
using Marquee.Core.Items;
using Marquee.Core.Profiles;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marquee.Providers.Arr.Unmonitor;

/// <summary>
/// The scheduled catch-up of "unmonitor after watched" (every <see cref="ArrOptions.UnmonitorCatchUpMinutes"/>): reads
/// the chosen profiles' watch state in bulk from every linked Plex, Jellyfin and Emby account, reads each Radarr and
/// Sonarr library in bulk, and queues an unmonitor for every watched item still monitored there. What the live path
/// already queued is not queued again (the outbox keeps one delivery per item and mode).
/// </summary>
public sealed partial class ArrUnmonitorCatchUp(IServiceScopeFactory scopes, IOptionsMonitor<ArrOptions> options, TimeProvider clock, ILogger<ArrUnmonitorCatchUp> logger) : BackgroundService
{
    private static readonly HashSet<string> MediaServers = new(StringComparer.Ordinal) { "plex", "jellyfin", "emby" };

    /// <summary>Runs one catch-up now; returns how many unmonitors it queued. Used by the loop and by tests.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var planner = services.GetRequiredService<ArrUnmonitorPlanner>();
        var targets = await planner.TargetsAsync(cancellationToken);
        if (targets.Count == 0)
        {
            return 0;
        }

        var connections = await services.GetRequiredService<Core.Connections.ConnectionService>().ListAsync(cancellationToken);
        var media = connections.Where(c => MediaServers.Contains(c.Kind)).Select(c => c.Id).ToHashSet();
        var store = services.GetRequiredService<IProfileStore>();
        var factory = services.GetRequiredService<ProviderFactory>();
        var accounts = services.GetRequiredService<IConnectionStoreAccounts>();
        var chosen = targets.SelectMany(t => t.Profiles).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var watched = new List<(string Profile, SourceItem Item)>();
        foreach (var profile in (await store.ListAsync(cancellationToken)).Where(p => chosen.Contains(p.Name)))
        {
            foreach (var link in (await store.ListLinksAsync(profile.Id, cancellationToken)).Where(l => media.Contains(l.ConnectionId)))
            {
                if (await accounts.GetProviderAccountAsync(link.AccountId, cancellationToken) is not { CanAct: true } account)
                {
                    continue;
                }

                var side = await factory.CreateAsync(link.ConnectionId, cancellationToken);
                await foreach (var state in side.Source.ReadAsync(account, WatchStateQuery.Full, cancellationToken))
                {
                    if (state.State.Watched && state.Item.Kind is MediaKind.Movie or MediaKind.Episode)
                    {
                        watched.Add((profile.Name, state.Item));
                    }
                }
            }
        }

        var queued = 0;
        foreach (var target in targets)
        {
            if ((await factory.CreateAsync(target.ConnectionId, cancellationToken)).Provider is not ArrProvider arr)
            {
                continue;
            }

            var monitored = Monitored(await ArrLibraries.ReadAsync(arr, cancellationToken));
            foreach (var (profile, item) in watched.Where(w => target.Chose(w.Profile)))
            {
                if (ArrUnmonitorPlanner.Request(target, profile, item, "catch-up") is { } request && monitored.Contains(request.ItemKey)
                    && await planner.EnqueueAsync(target, request, cancellationToken))
                {
                    queued++;
                }
            }
        }

        Log.Ran(logger, watched.Count, queued);
        return queued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var minutes = options.CurrentValue.UnmonitorCatchUpMinutes;
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(minutes > 0 ? minutes : 60), clock, stoppingToken);
                if (minutes > 0)
                {
                    await RunOnceAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.Failed(logger, ex.Message);
                if (!await LoopPause.AfterFailureAsync(clock, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    /// <summary>The item keys (as <see cref="ArrUnmonitorRequest.ItemKey"/> names them) of what is monitored.</summary>
    private static HashSet<string> Monitored(ArrLibrary library)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var movie in library.Movies.Where(m => m.Monitored))
        {
            keys.Add($"movie/tmdb/{movie.TmdbId}");
            if (movie.ImdbId is { Length: > 0 } imdb)
            {
                keys.Add($"movie/imdb/{imdb}");
            }
        }

        foreach (var series in library.Series)
        {
            foreach (var episode in library.Episodes.GetValueOrDefault(series.Id) ?? [])
            {
                if (episode.Monitored)
                {
                    keys.Add($"episode/tvdb/{series.TvdbId}/{episode.SeasonNumber}/{episode.EpisodeNumber}");
                }
            }
        }

        return keys;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Unmonitor catch-up: {Watched} watched item(s) read, {Queued} unmonitor(s) queued")]
        public static partial void Ran(ILogger logger, int watched, int queued);

        [LoggerMessage(2, LogLevel.Warning, "Unmonitor catch-up failed; trying again later: {Error}")]
        public static partial void Failed(ILogger logger, string error);
    }
}
