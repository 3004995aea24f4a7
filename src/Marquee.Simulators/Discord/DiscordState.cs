using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marquee.Simulators.Discord;

/// <summary>A webhook the simulator knows: its id, token and channel.</summary>
public sealed record DiscordWebhook(string Id, string Token, string ChannelId);

/// <summary>One execution the simulator received, accepted or not.</summary>
/// <param name="Sequence">Order of arrival across every webhook, from 1.</param>
/// <param name="WebhookId">The webhook in the URL.</param>
/// <param name="Status">The status the simulator answered.</param>
/// <param name="Body">The JSON body as received (null when it was not JSON).</param>
/// <param name="Error">Why it was refused, for a 4xx.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Files">The files uploaded with it (a <c>multipart/form-data</c> execution's <c>files[n]</c> parts).</param>
/// <param name="Url">The path and query it was posted to.</param>
public sealed record DiscordExecution(long Sequence, string WebhookId, int Status, JsonNode? Body, string? Error, DateTimeOffset ReceivedAt, IReadOnlyList<DiscordFile>? Files = null, string? Url = null);

/// <summary>A file uploaded with an execution: its form field (<c>files[0]</c>), file name, content type and bytes.</summary>
public sealed record DiscordFile(string Field, string FileName, string? ContentType, byte[] Data)
{
    /// <summary>Gets the file's size in bytes.</summary>
    public int Size => Data.Length;
}

/// <summary>The webhooks, their rate-limit buckets and every execution received.</summary>
public sealed class DiscordState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DiscordWebhook> _webhooks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _buckets = new(StringComparer.Ordinal);
    private readonly List<DiscordExecution> _executions = [];
    private long _sequence;
    private long _ids = 1_300_000_000_000_000_000;

    public DiscordState(DiscordSimulatorOptions options, TimeProvider clock)
    {
        Options = options;
        Clock = clock;
        RateLimit = options.RateLimit;
        RateWindow = TimeSpan.FromSeconds(options.RateWindowSeconds);
        Add("1300000000000000000", options.WebhookToken ?? "sim-" + Guid.NewGuid().ToString("N"));
    }

    public DiscordSimulatorOptions Options { get; }

    public TimeProvider Clock { get; }

    public int RateLimit { get; private set; }

    public TimeSpan RateWindow { get; private set; }

    public IReadOnlyList<DiscordWebhook> Webhooks
    {
        get
        {
            lock (_gate)
            {
                return [.. _webhooks.Values.OrderBy(w => w.Id, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<DiscordExecution> Executions
    {
        get
        {
            lock (_gate)
            {
                return [.. _executions];
            }
        }
    }

    /// <summary>Accepted messages only, in order of arrival.</summary>
    public IReadOnlyList<DiscordExecution> Messages => [.. Executions.Where(e => e.Status is 200 or 204)];

    public DiscordWebhook Add(string? id = null, string? token = null)
    {
        lock (_gate)
        {
            id ??= (++_ids).ToString(CultureInfo.InvariantCulture);
            token ??= "tok-" + Guid.NewGuid().ToString("N");
            if (id.Length == 0 || token.Length == 0 || !id.All(char.IsAsciiDigit))
            {
                throw new ArgumentException("A webhook id is digits and its token is not empty.");
            }

            var hook = new DiscordWebhook(id, token, "1200000000000000000");
            _webhooks[id] = hook;
            return hook;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _webhooks.Remove(id);
        }
    }

    public DiscordWebhook? Find(string id, string token)
    {
        lock (_gate)
        {
            return _webhooks.TryGetValue(id, out var hook) && string.Equals(hook.Token, token, StringComparison.Ordinal) ? hook : null;
        }
    }

    public void SetRateLimit(int requests, double windowSeconds)
    {
        if (requests < 0 || windowSeconds <= 0 || double.IsNaN(windowSeconds))
        {
            throw new ArgumentException("requests must be 0 or more (0: no limit) and windowSeconds more than 0.");
        }

        lock (_gate)
        {
            RateLimit = requests;
            RateWindow = TimeSpan.FromSeconds(windowSeconds);
            _buckets.Clear();
        }
    }

    /// <summary>Takes one request from the webhook's bucket; returns the wait until the bucket has room when it is full.</summary>
    public (TimeSpan? RetryAfter, int Remaining) Take(string webhookId)
    {
        lock (_gate)
        {
            if (RateLimit <= 0)
            {
                return (null, int.MaxValue);
            }

            var now = Clock.GetUtcNow();
            if (!_buckets.TryGetValue(webhookId, out var bucket))
            {
                _buckets[webhookId] = bucket = new Queue<DateTimeOffset>();
            }

            while (bucket.Count > 0 && now - bucket.Peek() >= RateWindow)
            {
                bucket.Dequeue();
            }

            if (bucket.Count >= RateLimit)
            {
                var wait = bucket.Peek() + RateWindow - now;
                return (wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), 0);
            }

            bucket.Enqueue(now);
            return (null, RateLimit - bucket.Count);
        }
    }

    public DiscordExecution Record(string webhookId, int status, JsonNode? body, string? error, IReadOnlyList<DiscordFile>? files = null, string? url = null)
    {
        lock (_gate)
        {
            var execution = new DiscordExecution(++_sequence, webhookId, status, body, error, Clock.GetUtcNow(), files is { Count: > 0 } ? files : null, url);
            _executions.Add(execution);
            return execution;
        }
    }

    public void ClearMessages()
    {
        lock (_gate)
        {
            _executions.Clear();
        }
    }

    public string NextMessageId()
    {
        lock (_gate)
        {
            return (1_335_000_000_000_000_000 + _sequence).ToString(CultureInfo.InvariantCulture);
        }
    }

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
