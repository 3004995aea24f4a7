using System.Globalization;
using System.Text.Json;
using Marquee.Core.Connections;
using Marquee.Core.Outbox;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marquee.Providers.Arr.Unmonitor;

/// <summary>
/// Delivers <c>arr-unmonitor</c>: finds the watched movie or episode in the Radarr or Sonarr connection (by id, one
/// lookup request), unmonitors it when it is monitored, and, with the season option, unmonitors its season once every
/// episode of it is unmonitored. Each change is journaled as a run of its own (flow <c>unmonitor:NAME</c>), so
/// <c>undo</c> monitors again. Dry-run journals what it would do and changes nothing. An application that fails
/// (5xx, 429, timeout, wrong key, an HTML page) leaves the delivery in the outbox with the error naming the connection.
/// </summary>
public sealed partial class ArrUnmonitorHandler(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ArrUnmonitorHandler> logger) : IOutboxHandler
{
    public string Kind => ArrUnmonitorRequest.Kind;

    public IReadOnlyList<FieldProblem> Validate(JsonElement payload)
    {
        ArrUnmonitorRequest? request;
        try
        {
            request = payload.Deserialize(ArrUnmonitorJson.Default.ArrUnmonitorRequest);
        }
        catch (JsonException ex)
        {
            return [new FieldProblem("payload", $"The payload is not an unmonitor request: {ex.Message}")];
        }

        var problems = new List<FieldProblem>();
        if (request is null || request.ConnectionId <= 0)
        {
            problems.Add(new FieldProblem("payload.connectionId", "'connectionId' must name a Radarr or Sonarr connection."));
        }
        else if (request.MediaType == "movie" && request.Tmdb is null && string.IsNullOrEmpty(request.Imdb))
        {
            problems.Add(new FieldProblem("payload.tmdb", "A movie needs 'tmdb' or 'imdb'."));
        }
        else if (request.MediaType == "episode" && (request.Tvdb is null || request.Season is null || request.Episode is null))
        {
            problems.Add(new FieldProblem("payload.tvdb", "An episode needs 'tvdb', 'season' and 'episode'."));
        }
        else if (request.MediaType is not ("movie" or "episode"))
        {
            problems.Add(new FieldProblem("payload.mediaType", "'mediaType' must be 'movie' or 'episode'."));
        }

        return problems;
    }

    public string Target(JsonElement payload) => "arr:" + payload.GetProperty("connectionId").GetInt64().ToString(CultureInfo.InvariantCulture);

    public string Describe(JsonElement payload)
    {
        var request = payload.Deserialize(ArrUnmonitorJson.Default.ArrUnmonitorRequest)!;
        return $"unmonitor {request.MediaType} {request.ItemKey} ({request.Title}) watched by {request.Profile}";
    }

    public async Task<OutboxResult> DeliverAsync(OutboxMessage message, string payload, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize(payload, ArrUnmonitorJson.Default.ArrUnmonitorRequest)!;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        SyncSide side;
        ArrSettings settings;
        try
        {
            var id = request.ConnectionId.ToString(CultureInfo.InvariantCulture);
            side = await services.GetRequiredService<ProviderFactory>().CreateAsync(request.ConnectionId, cancellationToken);
            settings = (ArrSettings)await services.GetRequiredService<ConnectionService>().GetSettingsAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is Core.Validation.NotFoundException or InvalidCastException)
        {
            return OutboxResult.Rejected($"connection {request.ConnectionId} is no Radarr or Sonarr connection any more");
        }

        var journal = new ArrJournal(services.GetRequiredService<IRunStore>(), side.Connection, request, settings.UnmonitorDryRun, message.IdempotencyKey, clock);
        try
        {
            var done = side.Provider switch
            {
                RadarrProvider radarr when request.MediaType == "movie" => await MovieAsync(radarr, request, journal, cancellationToken),
                SonarrProvider sonarr when request.MediaType == "episode" => await EpisodeAsync(sonarr, request, settings.UnmonitorSeasons, journal, cancellationToken),
                _ => "nothing to do: the connection does not hold this kind of item",
            };
            await journal.FinishAsync(null, done, cancellationToken);
            Log.Delivered(logger, side.Connection.Name, request.ItemKey, done);
            return OutboxResult.Delivered(200);
        }
        catch (ProviderException ex)
        {
            await journal.FinishAsync(ex.Message, null, cancellationToken);
            Log.Failed(logger, side.Connection.Name, request.ItemKey, ex.Message);
            var status = ex.Status is { } s ? (int)s : (int?)null;
            return OutboxResult.Retry($"{side.Connection.Kind} '{side.Connection.Name}': {ex.Message}", status, ex.RetryAfter);
        }
    }

    private static async Task<string> MovieAsync(RadarrProvider radarr, ArrUnmonitorRequest request, ArrJournal journal, CancellationToken ct)
    {
        var movies = request.Tmdb is { } tmdb
            ? await radarr.FindMoviesAsync(tmdb, ct)
            : [.. (await radarr.ReadMoviesAsync(ct)).Where(m => string.Equals(m.ImdbId, request.Imdb, StringComparison.OrdinalIgnoreCase))];
        if (movies.Count == 0)
        {
            return "not in Radarr";
        }

        var monitored = movies.Where(m => m.Monitored).ToList();
        if (monitored.Count == 0)
        {
            return "already unmonitored";
        }

        await journal.WriteAsync([.. monitored.Select(m => $"movie/{m.Id}")], () => radarr.SetMonitoredAsync([.. monitored.Select(m => m.Id)], false, ct), ct);
        return journal.DryRun ? "would unmonitor (dry-run)" : "unmonitored";
    }

    private static async Task<string> EpisodeAsync(SonarrProvider sonarr, ArrUnmonitorRequest request, bool seasons, ArrJournal journal, CancellationToken ct)
    {
        var series = (await sonarr.FindSeriesAsync(request.Tvdb!.Value, ct)) is [var first, ..] ? first : null;
        if (series is null)
        {
            return "series not in Sonarr";
        }

        var season = await sonarr.ReadSeasonAsync(series.Id, request.Season!.Value, ct);
        var episode = season.FirstOrDefault(e => e.EpisodeNumber == request.Episode);
        if (episode is null)
        {
            return "episode not in Sonarr";
        }

        var done = "already unmonitored";
        if (episode.Monitored)
        {
            await journal.WriteAsync([$"episode/{episode.Id}"], () => sonarr.SetEpisodesMonitoredAsync([episode.Id], false, ct), ct);
            done = journal.DryRun ? "would unmonitor (dry-run)" : "unmonitored";
        }

        // The season follows once none of its episodes is monitored (the others were watched before, or unmonitored by hand).
        var seasonMonitored = series.Seasons?.FirstOrDefault(s => s.SeasonNumber == request.Season)?.Monitored ?? false;
        if (seasons && seasonMonitored && season.All(e => e.Id == episode.Id || !e.Monitored))
        {
            await journal.WriteAsync([$"season/{series.Id}/{request.Season}"], () => sonarr.SetSeasonMonitoredAsync(series.Id, request.Season!.Value, false, ct), ct);
            done += journal.DryRun ? "; would unmonitor its season (dry-run)" : "; its season unmonitored";
        }

        return done;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Unmonitor in '{Connection}': {Item}: {Outcome}")]
        public static partial void Delivered(ILogger logger, string connection, string item, string outcome);

        [LoggerMessage(2, LogLevel.Warning, "Unmonitor in '{Connection}': {Item} failed, it stays queued: {Error}")]
        public static partial void Failed(ILogger logger, string connection, string item, string error);
    }
}
