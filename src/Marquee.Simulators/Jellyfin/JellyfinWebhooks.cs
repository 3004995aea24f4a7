using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Marquee.Simulators.Jellyfin.Model;

namespace Marquee.Simulators.Jellyfin;

/// <summary>
/// Posts what a webhook would: for Jellyfin the Webhook plugin's generic JSON (NotificationType, ItemId, Provider_imdb, …),
/// for Emby its built-in webhooks (Event "item.markplayed", "playback.stop", … with User, Item and Server objects).
/// </summary>
public sealed class JellyfinWebhooks : IAsyncDisposable
{
    private readonly JellyfinState _state;
    private readonly IHttpClientFactory _http;
    private readonly ConcurrentQueue<JfWebhookDelivery> _deliveries = new();
    private readonly List<Task> _pending = [];
    private readonly Lock _gate = new();

    internal JellyfinWebhooks(JellyfinState state, IHttpClientFactory http)
    {
        _state = state;
        _http = http;
        Url = state.Options.WebhookUrl;
        state.Changed += OnChanged;
    }

    public Uri? Url { get; set; }

    public IReadOnlyList<JfWebhookDelivery> Deliveries => [.. _deliveries];

    public async Task WaitIdleAsync(CancellationToken ct)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
        }

        await Task.WhenAll(pending).WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        _state.Changed -= OnChanged;
        try
        {
            await WaitIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>The payload a change produces, or null when the server sends none for it.</summary>
    public JsonObject? Payload(JfEvent change) => _state.IsEmby ? EmbyPayload(change) : PluginPayload(change);

    private void OnChanged(JfEvent change)
    {
        if (Url is not { } url || Payload(change) is not { } payload)
        {
            return;
        }

        var name = _state.IsEmby ? payload["Event"]!.GetValue<string>() : payload["NotificationType"]!.GetValue<string>();
        var task = PostAsync(url, name, payload.ToJsonString());
        lock (_gate)
        {
            _pending.RemoveAll(t => t.IsCompleted);
            _pending.Add(task);
        }
    }

    private async Task PostAsync(Uri url, string name, string body)
    {
        try
        {
            using var client = _http.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(10);
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(url, content);
            _deliveries.Enqueue(new JfWebhookDelivery(name, body, (int)response.StatusCode, null));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _deliveries.Enqueue(new JfWebhookDelivery(name, body, null, e.Message));
        }
    }

    private JsonObject PluginPayload(JfEvent change)
    {
        var item = change.Item;
        var now = _state.Clock.GetUtcNow();
        var payload = new JsonObject
        {
            ["ServerId"] = _state.ServerId,
            ["ServerName"] = _state.Options.ServerName,
            ["ServerVersion"] = _state.Version,
            ["NotificationType"] = change.Type,
            ["Timestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["UtcTimestamp"] = JellyfinJson.Date(now),
            ["Name"] = item.Name,
            ["ItemId"] = item.Id,
            ["ItemType"] = item.Type,
            ["RunTimeTicks"] = item.RunTimeTicks ?? 0,
        };
        if (item.Year is { } year)
        {
            payload["Year"] = year;
        }

        if (item.SeriesName is not null)
        {
            payload["SeriesName"] = item.SeriesName;
            payload["SeriesId"] = item.SeriesId;
            payload["SeasonNumber"] = item.ParentIndexNumber ?? 0;
            payload["EpisodeNumber"] = item.IndexNumber ?? 0;
            if (item.IndexNumberEnd is { } end)
            {
                payload["EpisodeNumberEnd"] = end;
            }
        }

        foreach (var (key, value) in item.ProviderIds)
        {
            payload["Provider_" + key.ToLowerInvariant()] = value;
        }

        if (change.User is { } user)
        {
            payload["NotificationUsername"] = user.Name;
            payload["UserId"] = user.Id;
        }

        if (change.PositionTicks is { } position)
        {
            payload["PlaybackPositionTicks"] = position;
            payload["PlaybackPosition"] = TimeSpan.FromTicks(position).ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (change.PlayedToCompletion is { } completed)
        {
            payload["PlayedToCompletion"] = completed;
        }

        if (change.Data is { } data)
        {
            payload["Played"] = data.Played;
            payload["PlayCount"] = data.PlayCount;
            payload["Favorite"] = data.IsFavorite;
            if (data.LastPlayedDate is { } last)
            {
                payload["LastPlayedDate"] = JellyfinJson.Date(last);
            }

            if (change.Type == "UserDataSaved")
            {
                payload["SaveReason"] = change.SaveReason;
            }
        }

        return payload;
    }

    private JsonObject? EmbyPayload(JfEvent change)
    {
        var name = change.Type switch
        {
            "PlaybackStart" => "playback.start",
            "PlaybackStop" => "playback.stop",
            "ItemAdded" => "library.new",
            "UserDataSaved" when change.SaveReason == "TogglePlayed" => change.Data?.Played == true ? "item.markplayed" : "item.markunplayed",
            "UserDataSaved" when change.SaveReason == "UpdateUserRating" => "item.rate",
            _ => null,
        };
        if (name is null)
        {
            return null;
        }

        var ids = new JsonObject();
        foreach (var (key, value) in change.Item.ProviderIds)
        {
            ids[key] = value;
        }

        var item = new JsonObject
        {
            ["Name"] = change.Item.Name,
            ["Id"] = change.Item.Id,
            ["Type"] = change.Item.Type,
            ["ProviderIds"] = ids,
            ["RunTimeTicks"] = change.Item.RunTimeTicks ?? 0,
        };
        if (change.Item.SeriesName is not null)
        {
            item["SeriesName"] = change.Item.SeriesName;
            item["ParentIndexNumber"] = change.Item.ParentIndexNumber;
            item["IndexNumber"] = change.Item.IndexNumber;
        }

        if (change.Item.IndexNumberEnd is { } end)
        {
            item["IndexNumberEnd"] = end;
        }

        var payload = new JsonObject
        {
            ["Title"] = $"{change.User?.Name ?? "Someone"}: {name} {change.Item.Name}",
            ["Date"] = JellyfinJson.Date(_state.Clock.GetUtcNow()),
            ["Event"] = name,
            ["Item"] = item,
            ["Server"] = new JsonObject { ["Name"] = _state.Options.ServerName, ["Id"] = _state.ServerId, ["Version"] = _state.Version },
        };
        if (change.User is { } user)
        {
            payload["User"] = new JsonObject { ["Name"] = user.Name, ["Id"] = user.Id };
        }

        if (change.PositionTicks is { } position)
        {
            payload["PlaybackInfo"] = new JsonObject { ["PositionTicks"] = position, ["PlayedToCompletion"] = change.PlayedToCompletion ?? false };
        }

        return payload;
    }
}
