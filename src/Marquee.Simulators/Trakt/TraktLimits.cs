using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Marquee.Simulators.Trakt;

/// <summary>Counts of one rate-limit bucket: requests charged, 429s answered and requests sent before a 429's Retry-After had passed.</summary>
public sealed record TraktBucketCounts(long Requests, long Limited, long Unhonoured);

/// <summary>
/// Trakt's rate limits, per account (POST and GET) and per app (GETs without a token), as sliding windows on
/// the wall clock. A request sent before the Retry-After of a 429 the same caller got has elapsed counts as
/// unhonoured, so a test can prove a client waits as told.
/// </summary>
public sealed class TraktLimits
{
    public const string Post = "AUTHED_API_POST_LIMIT";
    public const string Get = "AUTHED_API_GET_LIMIT";
    public const string UnauthedGet = "UNAUTHED_API_GET_LIMIT";

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Bucket, string Caller), Queue<DateTimeOffset>> _windows = [];
    private readonly Dictionary<(string Bucket, string Caller), DateTimeOffset> _blockedUntil = [];
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _limited = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unhonoured = new(StringComparer.Ordinal);

    public TraktLimits(TraktSimulatorOptions options, TimeProvider time)
    {
        _time = time;
        PostLimit = options.PostLimit;
        PostWindow = TimeSpan.FromMilliseconds(options.PostWindowMs);
        GetLimit = options.GetLimit;
        GetWindow = TimeSpan.FromSeconds(options.GetWindowSeconds);
    }

    public int PostLimit { get; set; }

    public TimeSpan PostWindow { get; set; }

    public int GetLimit { get; set; }

    public TimeSpan GetWindow { get; set; }

    public IReadOnlyDictionary<string, TraktBucketCounts> Counts =>
        new[] { Post, Get, UnauthedGet }.ToDictionary(b => b, b => new TraktBucketCounts(_requests.GetValueOrDefault(b), _limited.GetValueOrDefault(b), _unhonoured.GetValueOrDefault(b)), StringComparer.Ordinal);

    public void ResetCounts()
    {
        _requests.Clear();
        _limited.Clear();
        _unhonoured.Clear();
    }

    public void ResetWindows()
    {
        lock (_gate)
        {
            _windows.Clear();
            _blockedUntil.Clear();
        }
    }

    /// <summary>Charges one request; null when it may pass, else the Retry-After seconds and the <c>X-Ratelimit</c> JSON of the 429.</summary>
    public (int RetryAfter, string Header)? Charge(string bucket, string caller)
    {
        _requests.AddOrUpdate(bucket, 1, static (_, n) => n + 1);
        var (limit, window) = bucket == Post ? (PostLimit, PostWindow) : (GetLimit, GetWindow);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_blockedUntil.TryGetValue((bucket, caller), out var until))
            {
                if (now < until)
                {
                    _unhonoured.AddOrUpdate(bucket, 1, static (_, n) => n + 1);
                }

                _blockedUntil.Remove((bucket, caller));
            }

            if (limit <= 0)
            {
                return null;
            }

            if (!_windows.TryGetValue((bucket, caller), out var log))
            {
                _windows[(bucket, caller)] = log = new Queue<DateTimeOffset>();
            }

            while (log.Count > 0 && now - log.Peek() >= window)
            {
                log.Dequeue();
            }

            if (log.Count < limit)
            {
                log.Enqueue(now);
                return null;
            }

            var free = log.Peek() + window;
            var retryAfter = Math.Max(1, (int)Math.Ceiling((free - now).TotalSeconds));
            _blockedUntil[(bucket, caller)] = now + TimeSpan.FromSeconds(retryAfter);
            _limited.AddOrUpdate(bucket, 1, static (_, n) => n + 1);
            var header = new JsonObject
            {
                ["name"] = bucket,
                ["period"] = (int)Math.Max(1, Math.Round(window.TotalSeconds)),
                ["limit"] = limit,
                ["remaining"] = 0,
                ["until"] = free.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
            return (retryAfter, header.ToJsonString());
        }
    }

    /// <summary>Records a 429 the simulator answered for another reason (an edge fault) so a request before its Retry-After counts as unhonoured.</summary>
    public void Block(string bucket, string caller, int retryAfterSeconds)
    {
        lock (_gate)
        {
            _blockedUntil[(bucket, caller)] = _time.GetUtcNow() + TimeSpan.FromSeconds(retryAfterSeconds);
        }

        _limited.AddOrUpdate(bucket, 1, static (_, n) => n + 1);
    }
}
