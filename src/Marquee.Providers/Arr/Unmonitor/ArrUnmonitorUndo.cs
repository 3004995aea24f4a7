using System.Globalization;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Providers.Arr.Unmonitor;

/// <summary>
/// Undoes unmonitors: each item a run unmonitored is monitored again, unless it is monitored already (someone did it by
/// hand); each revert is journaled in the undo run. A season is monitored again through the season pass, which monitors
/// its episodes too, as the application does.
/// </summary>
public sealed class ArrUnmonitorUndo(ProviderFactory providers, IRunStore runs, TimeProvider clock) : IExternalWriteUndo
{
    public string Feature => ArrUnmonitorRequest.Feature;

    public async Task<ExternalUndoResult> UndoAsync(long runId, long undoRunId, IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        var written = 0;
        var failed = 0;
        string? error = null;
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var sides = new Dictionary<long, SyncSide>();
        foreach (var write in writes)
        {
            if (!sides.TryGetValue(write.ConnectionId, out var side))
            {
                side = sides[write.ConnectionId] = await providers.CreateAsync(write.ConnectionId, cancellationToken);
            }

            var parts = (write.LocalKey ?? string.Empty).Split('/');
            try
            {
                var monitored = await IsMonitoredAsync(side.Provider, parts, cancellationToken);
                if (monitored is null)
                {
                    skipped["the item is no longer in the application"] = skipped.GetValueOrDefault("the item is no longer in the application") + 1;
                    continue;
                }

                if (monitored.Value)
                {
                    skipped["monitored again since"] = skipped.GetValueOrDefault("monitored again since") + 1;
                    continue;
                }

                var journal = await runs.InsertWriteAsync(
                    new RunWrite(0, undoRunId, write.ConnectionId, null, null, null, write.LocalKey, Feature, "monitor", "false", "true", $"undo of run {runId}", $"undo:{write.Id}:{undoRunId.ToString(CultureInfo.InvariantCulture)}", WriteStatus.Planned, null, clock.GetUtcNow(), null),
                    cancellationToken);
                await MonitorAsync(side.Provider, parts, cancellationToken);
                await runs.UpdateWriteAsync(journal, undoRunId, WriteStatus.Written, "true", null, clock.GetUtcNow(), cancellationToken);
                written++;
            }
            catch (ProviderException ex)
            {
                failed++;
                error = ex.Message;
            }
        }

        return new ExternalUndoResult(written, skipped, failed, error);
    }

    private static int Id(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static async Task<bool?> IsMonitoredAsync(IProvider provider, string[] parts, CancellationToken ct)
    {
        try
        {
            return (provider, parts) switch
            {
                (RadarrProvider radarr, ["movie", var id]) => (await radarr.ReadMovieAsync(Id(id), ct)).Monitored,
                (SonarrProvider sonarr, ["episode", var id]) => (await sonarr.ReadEpisodeAsync(Id(id), ct)).Monitored,
                (SonarrProvider sonarr, ["season", var series, var season]) => (await sonarr.ReadOneSeriesAsync(Id(series), ct)).Seasons?.FirstOrDefault(s => s.SeasonNumber == Id(season))?.Monitored,
                _ => null,
            };
        }
        catch (ProviderException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static Task MonitorAsync(IProvider provider, string[] parts, CancellationToken ct) => (provider, parts) switch
    {
        (RadarrProvider radarr, ["movie", var id]) => radarr.SetMonitoredAsync([Id(id)], true, ct),
        (SonarrProvider sonarr, ["episode", var id]) => sonarr.SetEpisodesMonitoredAsync([Id(id)], true, ct),
        (SonarrProvider sonarr, ["season", var series, var season]) => sonarr.SetSeasonMonitoredAsync(Id(series), Id(season), true, ct),
        _ => Task.CompletedTask,
    };
}
