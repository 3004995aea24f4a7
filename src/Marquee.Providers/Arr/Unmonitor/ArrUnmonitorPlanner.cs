using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Items;
using Marquee.Core.Outbox;
using Marquee.Core.Providers;

namespace Marquee.Providers.Arr.Unmonitor;

/// <summary>A Radarr or Sonarr connection that unmonitors what some profiles watched.</summary>
public sealed record ArrUnmonitorTarget(long ConnectionId, string Name, string Kind, IReadOnlyList<string> Profiles, bool DryRun)
{
    public bool Chose(string profile) => Profiles.Contains(profile, StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets whether the connection holds this kind of item (movies in Radarr, episodes in Sonarr).</summary>
    public bool Holds(MediaKind kind) => Kind == "radarr" ? kind == MediaKind.Movie : kind == MediaKind.Episode;
}

/// <summary>Turns "this profile watched this item" into <c>arr-unmonitor</c> outbox deliveries for the connections that chose the profile.</summary>
public sealed class ArrUnmonitorPlanner(ConnectionService connections, OutboxService outbox)
{
    /// <summary>The Radarr and Sonarr connections with chosen profiles (the settings are read as stored; they hold no secret).</summary>
    public async Task<IReadOnlyList<ArrUnmonitorTarget>> TargetsAsync(CancellationToken cancellationToken)
    {
        var targets = new List<ArrUnmonitorTarget>();
        foreach (var view in await connections.ListAsync(cancellationToken))
        {
            if (view.Kind is not ("radarr" or "sonarr"))
            {
                continue;
            }

            var profiles = ((string?)view.Settings["unmonitorProfiles"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (profiles.Length > 0)
            {
                var dryRun = string.Equals((string?)view.Settings["unmonitorMode"], "dry-run", StringComparison.OrdinalIgnoreCase);
                targets.Add(new ArrUnmonitorTarget(view.Id, view.Name, view.Kind, profiles, dryRun));
            }
        }

        return targets;
    }

    /// <summary>The request for <paramref name="item"/> in <paramref name="target"/>, or null when the item has no id the application can be asked by.</summary>
    public static ArrUnmonitorRequest? Request(ArrUnmonitorTarget target, string profile, SourceItem item, string trigger)
    {
        if (!target.Holds(item.Kind))
        {
            return null;
        }

        if (item.Kind == MediaKind.Movie)
        {
            var tmdb = Int(item.Ids, ExternalId.Tmdb);
            var imdb = item.Ids.FirstOrDefault(i => i.Scheme == ExternalId.Imdb).Value;
            return tmdb is null && imdb is null ? null : new ArrUnmonitorRequest(target.ConnectionId, profile, "movie", tmdb, imdb, null, null, null, Title(item), trigger);
        }

        var tvdb = Int(item.ShowIds, ExternalId.Tvdb);
        return tvdb is null || item.Season is null || item.Episode is null
            ? null
            : new ArrUnmonitorRequest(target.ConnectionId, profile, "episode", null, null, tvdb, item.Season, item.Episode, Title(item), trigger);
    }

    /// <summary>Queues the unmonitor; returns whether a new delivery was stored (an item is unmonitored once per mode).</summary>
    public async Task<bool> EnqueueAsync(ArrUnmonitorTarget target, ArrUnmonitorRequest request, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToElement(request, ArrUnmonitorJson.Default.ArrUnmonitorRequest);
        var (_, created) = await outbox.EnqueueAsync(ArrUnmonitorRequest.Kind, request.IdempotencyKey(target.DryRun), payload, connectionId: target.ConnectionId, cancellationToken: cancellationToken);
        return created;
    }

    private static int? Int(IReadOnlyList<ExternalId> ids, string scheme) =>
        ids.FirstOrDefault(i => i.Scheme == scheme).Value is { } text && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Title(SourceItem item) => item.Kind == MediaKind.Episode
        ? $"{item.ShowTitle} S{item.Season:00}E{item.Episode:00}"
        : $"{item.Title} ({item.Year})";
}
