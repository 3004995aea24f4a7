using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Marquee.Simulators.Plex.Model;
using Microsoft.Extensions.Logging;

namespace Marquee.Simulators.Plex;

/// <summary>One webhook POST the simulator made (or tried to).</summary>
public sealed record WebhookDelivery(Uri Url, string Event, bool User, bool Owner, string Payload, bool HasThumb, int Status);

/// <summary>
/// Plex webhooks (PLEX-API.md 9): multipart/form-data with a <c>payload</c> part and, for some events,
/// a JPEG <c>thumb</c> part. Owner-only events never go to other accounts' URLs.
/// </summary>
public sealed partial class WebhookDispatcher : IAsyncDisposable
{
    private static readonly HashSet<string> WithThumb = new(StringComparer.Ordinal)
    {
        "media.play", "media.rate", "library.new", "library.on.deck", "playback.started",
    };

    // A 1x1 JPEG is enough for receivers that only check the part exists.
    private static readonly byte[] Thumb = SimArtwork.Tiny;

    private readonly PlexState _state;
    private readonly IHttpClientFactory _clients;
    private readonly ILogger _logger;
    private readonly Channel<(Uri Url, string Event, bool User, bool Owner, string Payload)> _queue = Channel.CreateUnbounded<(Uri, string, bool, bool, string)>();
    private readonly ConcurrentQueue<WebhookDelivery> _deliveries = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private int _pending;

    public WebhookDispatcher(PlexState state, IHttpClientFactory clients, ILogger logger)
    {
        _state = state;
        _clients = clients;
        _logger = logger;
        state.Events += OnEvent;
        _pump = Task.Run(PumpAsync);
    }

    public IReadOnlyList<WebhookDelivery> Deliveries => [.. _deliveries];

    public void ClearDeliveries() => _deliveries.Clear();

    /// <summary>Waits until every queued webhook has been posted.</summary>
    public async Task WaitIdleAsync(CancellationToken ct)
    {
        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(10, ct);
        }
    }

    /// <summary>Sends an admin or device event (admin.database.backup, admin.database.corrupted, device.new).</summary>
    public void SendAdmin(string name, SimAccount? device = null) => Enqueue(name, device ?? _state.Owner, null, null, ownerOnly: true);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void OnEvent(SimEvent e)
    {
        switch (e)
        {
            case PlaybackEvent p:
                Enqueue(p.Event, p.Account, p.Item, p.Session, ownerOnly: p.Event == "playback.started");
                break;
            case RateEvent r:
                Enqueue("media.rate", r.Account, r.Item, null, ownerOnly: false, rating: r.Rating, player: r.ClientIdentifier);
                break;
            case LibraryNewEvent n:
                foreach (var account in _state.Accounts)
                {
                    if (_state.CanSee(account, n.Item.SectionId))
                    {
                        Enqueue("library.new", account, n.Item, null, ownerOnly: false, onlyTo: account);
                    }
                }

                break;
            case AdminEvent a:
                SendAdmin(a.Event);
                break;
            default:
                break;
        }
    }

    private void Enqueue(string name, SimAccount actor, PlexItem? item, PlaySession? session, bool ownerOnly, double? rating = null, SimAccount? onlyTo = null, string? player = null)
    {
        var owner = _state.Owner;
        var targets = new List<(Uri Url, bool User, bool Owner)>();
        if (onlyTo is not null)
        {
            // library.new goes to each account that can see the item, as its own event.
            targets.AddRange(_state.Webhooks(onlyTo).Select(u => (u, true, onlyTo.IsOwner)));
        }
        else
        {
            if (!ownerOnly && !actor.IsOwner)
            {
                targets.AddRange(_state.Webhooks(actor).Select(u => (u, true, false)));
            }

            targets.AddRange(_state.Webhooks(owner).Select(u => (u, actor.IsOwner && !ownerOnly, true)));
        }

        if (targets.Count == 0)
        {
            return;
        }

        foreach (var (url, user, isOwner) in targets)
        {
            var payload = BuildPayload(name, user, isOwner, actor, item, session, rating, player);
            Interlocked.Increment(ref _pending);
            if (!_queue.Writer.TryWrite((url, name, user, isOwner, payload)))
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private string BuildPayload(string name, bool user, bool owner, SimAccount actor, PlexItem? item, PlaySession? session, double? rating, string? player)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (rating is { } r)
            {
                w.WriteNumber("rating", r);
            }

            w.WriteString("event", name);
            w.WriteBoolean("user", user);
            w.WriteBoolean("owner", owner);
            w.WriteStartObject("Account");
            w.WriteNumber("id", actor.PlexTvId);
            w.WriteString("thumb", actor.Thumb);
            w.WriteString("title", actor.Name);
            w.WriteEndObject();
            w.WriteStartObject("Server");
            w.WriteString("title", _state.Options.ServerName);
            w.WriteString("uuid", _state.MachineIdentifier);
            w.WriteEndObject();
            if (session is not null || player is not null || name == "device.new")
            {
                w.WriteStartObject("Player");
                w.WriteBoolean("local", true);
                w.WriteString("publicAddress", "127.0.0.1");
                w.WriteString("title", session?.DeviceName ?? "Chrome");
                w.WriteString("uuid", session?.ClientIdentifier ?? player ?? "sim-new-device");
                w.WriteEndObject();
            }

            w.Flush();
            if (item is not null)
            {
                // Metadata is the item as /library/metadata shows it to the acting account, after the change.
                w.WritePropertyName("Metadata");
                w.Flush();
                var section = _state.Section(item.SectionId)!;
                var json = new MetadataJson(section.Type);
                json.Capture(_state, actor, item);
                w.WriteRawValue(json.Text, skipInputValidation: true);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task PumpAsync()
    {
        var client = _clients.CreateClient("plex-webhooks");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("PlexMediaServer/" + _state.Version);
        await foreach (var (url, name, user, owner, payload) in _queue.Reader.ReadAllAsync(_stop.Token))
        {
            var status = 0;
            try
            {
                using var content = new MultipartFormDataContent("--------------------------" + Guid.NewGuid().ToString("N")[..12]);
                var part = new StringContent(payload, Encoding.UTF8);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                content.Add(part, "payload");
                if (WithThumb.Contains(name))
                {
                    var thumb = new ByteArrayContent(Thumb);
                    thumb.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                    content.Add(thumb, "thumb", "image.jpg");
                }

                using var response = await client.PostAsync(url, content, _stop.Token);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Log.DeliveryFailed(_logger, url, name, e.Message);
            }
            finally
            {
                _deliveries.Enqueue(new WebhookDelivery(url, name, user, owner, payload, WithThumb.Contains(name), status));
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Event} to {Url} failed: {Error}")]
        public static partial void DeliveryFailed(ILogger logger, Uri url, string @event, string error);
    }

    /// <summary>Writes one item through the JSON <see cref="PlexWriter"/> so webhooks match /library/metadata.</summary>
    private sealed class MetadataJson(string sectionType)
    {
        public string Text { get; private set; } = "{}";

        public void Capture(PlexState state, SimAccount account, PlexItem item)
        {
            using var writer = new JsonPlexWriter(Stream.Null);
            writer.StartBareObject();
            writer.Str("librarySectionType", sectionType);
            ItemWriter.WriteFields(writer, state, account, item, ItemView.Detail | ItemView.SectionOnItem | ItemView.NoMedia);
            ItemWriter.WriteChildren(writer, state, item, ItemView.Detail | ItemView.NoMedia);
            writer.EndBareObject();
            Text = writer.BufferedText();
        }
    }
}
