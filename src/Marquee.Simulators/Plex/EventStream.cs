using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Marquee.Simulators.Plex.Model;
using Microsoft.AspNetCore.Http;

namespace Marquee.Simulators.Plex;

/// <summary>
/// PMS event stream (PLEX-API.md 9a): <c>/:/websockets/notifications</c> and its SSE twin.
/// One entry per message, filters as in 9a.1, owner sees everything, others only their own playback.
/// </summary>
public sealed class EventStream
{
    private readonly PlexState _state;
    private readonly ConcurrentDictionary<int, Subscriber> _subscribers = new();
    private readonly ConcurrentDictionary<string, ActivityEvent> _activities = new(StringComparer.Ordinal);
    private int _nextId;

    public EventStream(PlexState state)
    {
        _state = state;
        state.Events += OnEvent;
    }

    public int Connected => _subscribers.Count;

    /// <summary>Test hook: the player vanished; sessions stay but no more messages are sent for them.</summary>
    public bool MutePlaying { get; set; }

    /// <summary>How often the SSE twin sends <c>event: ping</c>.</summary>
    public TimeSpan EventSourcePing { get; set; } = TimeSpan.FromSeconds(10);

    public List<ActivityEvent> RunningActivities() => [.. _activities.Values];

    /// <summary>Closes every socket with 1001 (a PMS restart) and restarts the sessionKey counter.</summary>
    public void Restart()
    {
        CloseAll();
        _state.ResetSessions();
    }

    /// <summary>Ends every socket and event source (simulator shutdown).</summary>
    public void CloseAll()
    {
        foreach (var sub in _subscribers.Values)
        {
            sub.Channel.Writer.TryComplete();
        }
    }

    /// <summary>Sends a raw text frame to every subscriber (fault injection: unknown types, numeric ids).</summary>
    public void Broadcast(string json)
    {
        foreach (var sub in _subscribers.Values)
        {
            sub.Channel.Writer.TryWrite(new Message("raw", json));
        }
    }

    public async Task AcceptAsync(HttpContext ctx)
    {
        var account = _state.PmsAccount(PmsHttp.Token(ctx.Request));
        if (account is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status401Unauthorized);
            return;
        }

        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        // Subscribe before the 101 goes out: a client may act as soon as its ConnectAsync returns.
        var id = Interlocked.Increment(ref _nextId);
        var sub = new Subscriber(account, ParseFilters(ctx.Request));
        _subscribers[id] = sub;
        try
        {
            using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
            var reader = Task.Run(() => DrainAsync(socket, ctx.RequestAborted));
            await foreach (var message in sub.Channel.Reader.ReadAllAsync(ctx.RequestAborted))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(message.Json), WebSocketMessageType.Text, true, ctx.RequestAborted);
            }

            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server restart", CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }

    public async Task EventSourceAsync(HttpContext ctx)
    {
        var account = _state.PmsAccount(PmsHttp.Token(ctx.Request));
        if (account is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status401Unauthorized);
            return;
        }

        ctx.Response.ContentType = "text/event-stream";
        var id = Interlocked.Increment(ref _nextId);
        var sub = new Subscriber(account, ParseFilters(ctx.Request));
        _subscribers[id] = sub;
        try
        {
            await ctx.Response.WriteAsync("event: ping\ndata: {}\n\n", ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            while (!ctx.RequestAborted.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
                wait.CancelAfter(EventSourcePing);
                string text;
                try
                {
                    if (!await sub.Channel.Reader.WaitToReadAsync(wait.Token))
                    {
                        break;
                    }

                    var message = await sub.Channel.Reader.ReadAsync(wait.Token);
                    text = $"event: {message.Type}\ndata: {SingleObject(message.Json)}\n\n";
                }
                catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
                {
                    text = "event: ping\ndata: {}\n\n";
                }

                await ctx.Response.WriteAsync(text, ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }

    private static async Task DrainAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    /// <summary>SSE carries the entry under its array name as a single object, without the container.</summary>
    private static string SingleObject(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("NotificationContainer", out var container))
        {
            return json;
        }

        foreach (var property in container.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0)
            {
                return $"{{\"{property.Name}\":{property.Value[0].GetRawText()}}}";
            }
        }

        return json;
    }

    private static Filter ParseFilters(HttpRequest request)
    {
        if (!request.Query.TryGetValue("filters", out var raw))
        {
            return new Filter(true, ["log"]);
        }

        var text = raw.ToString();
        if (text.Length == 0)
        {
            return new Filter(true, []);
        }

        return text.StartsWith('-')
            ? new Filter(true, [.. text[1..].Split(',', StringSplitOptions.RemoveEmptyEntries)])
            : new Filter(false, [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries)]);
    }

    private void OnEvent(SimEvent e)
    {
        switch (e)
        {
            case PlayingReport report when !MutePlaying:
                Publish("playing", "PlaySessionStateNotification", report.Session.Account, w =>
                {
                    var s = report.Session;
                    w.WriteString("sessionKey", s.SessionKey);
                    w.WriteString("clientIdentifier", s.ClientIdentifier);
                    w.WriteString("guid", s.Item.PrimaryGuid);
                    w.WriteString("ratingKey", s.Item.RatingKey.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("url", string.Empty);
                    w.WriteString("key", $"/library/metadata/{s.Item.RatingKey}");
                    w.WriteNumber("viewOffset", s.ViewOffset);
                    w.WriteNumber("playQueueItemID", s.PlayQueueId * 10);
                    w.WriteNumber("playQueueID", s.PlayQueueId);
                    w.WriteString("state", s.State);
                });
                break;
            case LibraryItemEvent item:
                Publish("timeline", "TimelineEntry", null, w =>
                {
                    var i = item.Item;
                    w.WriteString("identifier", "com.plexapp.plugins.library");
                    w.WriteString("sectionID", i.SectionId.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("itemID", i.RatingKey.ToString(CultureInfo.InvariantCulture));
                    if (i.Parent is not null)
                    {
                        w.WriteString("parentItemID", i.Parent.RatingKey.ToString(CultureInfo.InvariantCulture));
                        w.WriteString("rootItemID", (i.Show ?? i.Parent).RatingKey.ToString(CultureInfo.InvariantCulture));
                    }

                    w.WriteNumber("type", (int)i.Type);
                    w.WriteString("title", item.State == 9 ? string.Empty : i.Title);
                    w.WriteNumber("state", item.State);
                    if (item.MetadataState is not null)
                    {
                        w.WriteString("metadataState", item.MetadataState);
                    }

                    w.WriteNumber("updatedAt", i.UpdatedAt);
                }, i => _state.CanSee(i, item.Item.SectionId));
                break;
            case ActivityEvent activity:
                if (activity.Event == "ended")
                {
                    _activities.TryRemove(activity.Uuid, out _);
                }
                else
                {
                    _activities[activity.Uuid] = activity;
                }

                Publish("activity", "ActivityNotification", _state.Owner, w =>
                {
                    w.WriteString("event", activity.Event);
                    w.WriteString("uuid", activity.Uuid);
                    w.WriteStartObject("Activity");
                    w.WriteString("uuid", activity.Uuid);
                    w.WriteString("type", activity.Type);
                    w.WriteBoolean("cancellable", false);
                    w.WriteNumber("userID", 1);
                    w.WriteString("title", activity.Title);
                    w.WriteString("subtitle", string.Empty);
                    w.WriteNumber("progress", activity.Progress);
                    w.WriteStartObject("Context");
                    foreach (var (k, v) in activity.Context)
                    {
                        if (v is bool b)
                        {
                            w.WriteBoolean(k, b);
                        }
                        else
                        {
                            w.WriteString(k, Convert.ToString(v, CultureInfo.InvariantCulture));
                        }
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                });
                break;
            case StatusEvent status:
                Publish("status", "StatusNotification", _state.Owner, w =>
                {
                    w.WriteString("title", status.Title);
                    w.WriteString("description", string.Empty);
                    w.WriteString("notificationName", status.Description);
                });
                break;
            default:
                break;
        }
    }

    private void Publish(string type, string array, SimAccount? about, Action<Utf8JsonWriter> entry, Func<SimAccount, bool>? visible = null)
    {
        if (_subscribers.IsEmpty)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("NotificationContainer");
            w.WriteString("type", type);
            w.WriteNumber("size", 1);
            w.WriteStartArray(array);
            w.WriteStartObject();
            entry(w);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var json = Encoding.UTF8.GetString(buffer.ToArray());
        foreach (var sub in _subscribers.Values)
        {
            if (!sub.Filter.Allows(type))
            {
                continue;
            }

            var allowed = sub.Account.IsOwner || (visible?.Invoke(sub.Account) ?? (about is not null && about.LocalId == sub.Account.LocalId));
            if (allowed)
            {
                sub.Channel.Writer.TryWrite(new Message(type, json));
            }
        }
    }

    private sealed record Message(string Type, string Json);

    private sealed record Filter(bool Exclude, HashSet<string> Types)
    {
        public bool Allows(string type) => Exclude ? !Types.Contains(type) : Types.Contains(type);
    }

    private sealed class Subscriber(SimAccount account, Filter filter)
    {
        public SimAccount Account { get; } = account;

        public Filter Filter { get; } = filter;

        public Channel<Message> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<Message>();
    }
}
