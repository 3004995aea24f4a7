using System.Threading.Channels;
using Marquee.Core.Connections;
using Marquee.Core.Live;
using Marquee.Core.Profiles;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marquee.Providers.Arr.Unmonitor;

/// <summary>
/// The live path of "unmonitor after watched": a watched event from a Plex, Jellyfin or Emby connection, by an account
/// linked to a profile that a Radarr or Sonarr connection chose, reads the item (its TMDB, IMDb or TVDB ids) from the
/// server that saw it and queues its unmonitor in the outbox. Events are taken off the inbox processor's path at once and
/// handled in the background.
/// </summary>
public sealed partial class ArrUnmonitorSink(IServiceScopeFactory scopes, ServerDirectory servers, ILogger<ArrUnmonitorSink> logger) : BackgroundService, ILiveEventSink
{
    private static readonly HashSet<string> MediaServers = new(StringComparer.Ordinal) { "plex", "jellyfin", "emby" };

    private readonly Channel<LiveEvent> _queue = Channel.CreateUnbounded<LiveEvent>();

    public async Task PublishAsync(IReadOnlyList<LiveEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events.Where(e => e.Kind == LiveEventKind.Watched && MediaServers.Contains(e.Source) && e.LocalKey.Length > 0))
        {
            await _queue.Writer.WriteAsync(e, cancellationToken);
        }
    }

    /// <summary>Handles one watched event now; returns how many unmonitors it queued. Used by the loop and by tests.</summary>
    public async Task<int> HandleAsync(LiveEvent e, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var planner = services.GetRequiredService<ArrUnmonitorPlanner>();
        var targets = await planner.TargetsAsync(cancellationToken);
        if (targets.Count == 0)
        {
            return 0;
        }

        var ofKind = (await services.GetRequiredService<ConnectionService>().ListAsync(cancellationToken)).Where(c => c.Kind == e.Source).Select(c => c.Id).ToHashSet();
        var profiles = services.GetRequiredService<IProfileStore>();
        var known = servers.ConnectionsOf(e.ServerId) ?? [];
        var link = (await profiles.ListLinksAsync(null, cancellationToken))
            .Where(l => ofKind.Contains(l.ConnectionId) && string.Equals(l.ExternalId, e.AccountId, StringComparison.Ordinal))
            .OrderByDescending(l => known.Contains(l.ConnectionId))
            .FirstOrDefault();
        var profile = link is null ? null : await profiles.GetAsync(link.ProfileId, cancellationToken);
        var chosen = profile is null ? [] : targets.Where(t => t.Chose(profile.Name)).ToList();
        if (chosen.Count == 0)
        {
            Log.NotChosen(logger, e.Id, e.Source, e.AccountId, profile?.Name ?? "(no profile)");
            return 0;
        }

        var account = await services.GetRequiredService<IConnectionStoreAccounts>().GetProviderAccountAsync(link!.AccountId, cancellationToken);
        var side = await services.GetRequiredService<ProviderFactory>().CreateAsync(link.ConnectionId, cancellationToken);
        if (account is null || await side.Source.ReadItemAsync(account, e.LocalKey, cancellationToken) is not { } read)
        {
            Log.NotRead(logger, e.Id, e.LocalKey);
            return 0;
        }

        var queued = 0;
        foreach (var target in chosen)
        {
            if (ArrUnmonitorPlanner.Request(target, profile!.Name, read.Item, "live") is { } request && await planner.EnqueueAsync(target, request, cancellationToken))
            {
                Log.Queued(logger, request.Title ?? request.ItemKey, target.Name, profile.Name);
                queued++;
            }
        }

        return queued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(e, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The watch is stored; the scheduled catch-up unmonitors what this missed.
                    Log.Failed(logger, e.Id, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Unmonitor: '{Title}' watched by {Profile} queued for '{Connection}'")]
        public static partial void Queued(ILogger logger, string title, string connection, string profile);

        [LoggerMessage(2, LogLevel.Warning, "Unmonitor: event {EventId} could not be handled (the catch-up will): {Error}")]
        public static partial void Failed(ILogger logger, long eventId, string error);

        [LoggerMessage(4, LogLevel.Debug, "Unmonitor: event {EventId} from {Source} account {Account} ({Profile}) is no chosen profile's")]
        public static partial void NotChosen(ILogger logger, long eventId, string source, string account, string profile);

        [LoggerMessage(3, LogLevel.Information, "Unmonitor: event {EventId}: item {Key} could not be read from its server")]
        public static partial void NotRead(ILogger logger, long eventId, string key);
    }
}
