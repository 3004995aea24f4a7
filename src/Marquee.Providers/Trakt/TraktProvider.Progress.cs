using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Marquee.Core.Providers;
using Marquee.Core.Sync;

namespace Marquee.Providers.Trakt;

/// <summary>
/// Playback progress (TRAKT-API.md 6.6). Read from <c>GET /sync/playback</c> as a share of the length with its
/// <c>paused_at</c> (the run turns it into a position with the length the other side lists); written as
/// <c>POST /scrobble/pause</c>, which Trakt stores with <c>paused_at</c> = now. Only 1 % to under 80 % is sent: under
/// 1 % Trakt keeps nothing, and 80 % or more is a play. Trakt's scrobble names an episode by the episode's own ids,
/// which an episode key (show ids, season and number) does not hold, so episodes' resume points are read, not written.
/// </summary>
public sealed partial class TraktProvider : IProgressSink, IProgressRange
{
    /// <summary>The lowest share of the length Trakt keeps as a resume point, in percent.</summary>
    public const double MinPercent = 1;

    /// <summary>The share of the length from which Trakt records a play instead of a resume point, in percent.</summary>
    public const double PlayPercent = 80;

    public Task SetProgressAsync(ProviderAccount account, string localKey, long positionMs, long durationMs, CancellationToken cancellationToken) =>
        OneAsync(account, new BatchWrite(localKey, WriteAction.SetProgress, null, null, null, positionMs, durationMs), cancellationToken);

    public string? Refuses(string localKey, long positionMs, long? durationMs)
    {
        if (TraktKeys.Parse(localKey) is { IsEpisode: true })
        {
            return "Trakt's scrobble names an episode by the episode's own ids, which Marquee does not hold for it: its resume point is not written to Trakt";
        }

        if (durationMs is not > 0)
        {
            return "the item's length is unknown, so its resume point cannot be given to Trakt as a share of it";
        }

        var percent = ProgressShare.Of(positionMs, durationMs.Value);
        return percent switch
        {
            < MinPercent => string.Create(CultureInfo.InvariantCulture, $"a resume point at {percent:0.#} % is under the 1 % Trakt keeps"),
            >= PlayPercent => string.Create(CultureInfo.InvariantCulture, $"a resume point at {percent:0.#} % would be a play on Trakt (80 % or more), not a resume point"),
            _ => null,
        };
    }

    /// <summary>Sends each resume point as its own <c>POST /scrobble/pause</c> (Trakt takes one item per scrobble).</summary>
    private async Task PauseAsync(List<int> indexes, IReadOnlyList<BatchWrite> writes, ProviderException?[] results, CancellationToken cancellationToken)
    {
        foreach (var i in indexes)
        {
            var write = writes[i];
            if (Refuses(write.LocalKey, write.ProgressMs ?? 0, write.DurationMs) is { } refused)
            {
                results[i] = new ProviderException("trakt", null, $"{write.LocalKey}: {refused}.");
                continue;
            }

            var key = TraktKeys.Parse(write.LocalKey)!;
            var body = new JsonObject { ["movie"] = new JsonObject { ["ids"] = key.Ids() }, ["progress"] = ProgressShare.Of(write.ProgressMs ?? 0, write.DurationMs!.Value) };
            try
            {
                await _client.WriteAsync("scrobble/pause", body, cancellationToken);
            }
            catch (TraktException ex) when (ex.Status == 404)
            {
                results[i] = new ProviderException("trakt", HttpStatusCode.NotFound, $"Trakt does not know {write.LocalKey} (answered as not found by POST /scrobble/pause).") { Endpoint = "POST /scrobble/pause" };
            }
            catch (TraktException ex)
            {
                results[i] = Wrap(ex);
                if (ex.Status is 420 or 423 or 426 or 401 or 403)
                {
                    throw results[i]!;
                }
            }
            catch (HttpRequestException ex)
            {
                results[i] = new ProviderException("trakt", null, $"Trakt could not be reached for POST /scrobble/pause: {ex.Message}", ex) { IsTransient = true };
            }
        }
    }

    /// <summary>The account's resume points, each as a share of the length with the time it was paused.</summary>
    private async Task ReadPlaybackAsync(Action<SourceItem, Func<WatchState, WatchState>> merge, CancellationToken cancellationToken)
    {
        foreach (var row in await ListAsync("sync/playback", cancellationToken))
        {
            var item = row["type"]?.GetValue<string>() switch
            {
                "movie" => MovieItem(row["movie"] as JsonObject),
                "episode" => EpisodeItem(row["show"] as JsonObject, Int(row["episode"]?["season"]), Int(row["episode"]?["number"])),
                _ => null,
            };
            if (item is not null && row["progress"] is JsonValue p && p.TryGetValue<double>(out var percent) && percent is > 0 and < 100)
            {
                merge(item, s => s with { ProgressPercent = percent, ProgressAt = Date(row["paused_at"]) });
            }
        }
    }
}
