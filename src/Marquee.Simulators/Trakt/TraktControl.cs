using System.Collections.Concurrent;
using Marquee.Simulators.Infrastructure;

namespace Marquee.Simulators.Trakt;

/// <summary>
/// A Trakt status answered instead of the endpoint: 420, 423, 426, 429 (an API 429 with <c>X-Ratelimit</c>, or with
/// <see cref="Edge"/> Cloudflare's HTML 429 without it), 403 at the edge, 500, 502 to 504 and 520 to 522.
/// </summary>
public sealed record TraktStatusFault(int Status, int? Times = null, int RetryAfterSeconds = 1, bool Edge = false)
{
    public static IReadOnlySet<int> Supported { get; } = new HashSet<int> { 403, 420, 423, 426, 429, 500, 502, 503, 504, 520, 521, 522 };

    public string? Problem() =>
        !Supported.Contains(Status) ? $"status must be one of {string.Join(", ", Supported.Order())}"
        : Times is < 0 ? "times must be 0 or more (null: until cleared)"
        : RetryAfterSeconds < 0 ? "retryAfterSeconds must be 0 or more"
        : null;
}

/// <summary>One account's state for the control API.</summary>
public sealed record TraktAccountDump(
    string Name,
    IReadOnlyList<TraktPlayDump> Plays,
    IReadOnlyList<TraktRatingDump> Ratings,
    IReadOnlyList<TraktListDump> Watchlist,
    IReadOnlyList<TraktPlaybackDump> Playback);

public sealed record TraktPlayDump(long Id, string Type, long Trakt, DateTimeOffset? WatchedAt, string Action);

public sealed record TraktRatingDump(string Type, long Trakt, int Rating, DateTimeOffset RatedAt);

public sealed record TraktListDump(long Id, string Type, long Trakt, DateTimeOffset ListedAt);

public sealed record TraktPlaybackDump(long Id, string Type, long Trakt, double Progress, DateTimeOffset PausedAt);

/// <summary>Control surface for tests and the <c>/_sim</c> HTTP API (not part of Trakt), shaped like the other simulators'.</summary>
public sealed class TraktControl
{
    private readonly ConcurrentDictionary<string, TraktStatusFault> _statusFaults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _remaining = new(StringComparer.Ordinal);

    internal TraktControl(TraktState state, SimHarness harness, TraktLimits limits)
    {
        State = state;
        Harness = harness;
        Limits = limits;
    }

    public TraktState State { get; }

    public SimHarness Harness { get; }

    public TraktLimits Limits { get; }

    public IReadOnlyDictionary<string, long> RequestCounts => Harness.RequestCounts;

    public IReadOnlyDictionary<string, TraktStatusFault> StatusFaults => new SortedDictionary<string, TraktStatusFault>(_statusFaults, StringComparer.Ordinal);

    public DateTimeOffset Now => State.Now;

    public void ResetCounts()
    {
        Harness.ResetCounts();
        Limits.ResetCounts();
    }

    public void SetClock(DateTimeOffset now) => State.Clock.Set(now);

    public void AdvanceClock(TimeSpan by) => State.Clock.Advance(by);

    public TraktAccount Account(string name) => State.Account(name) ?? throw new KeyNotFoundException($"No account '{name}'.");

    /// <summary>Sets the status fault of one endpoint ("POST /sync/history", or "*" for every endpoint); null clears it.</summary>
    public void SetStatusFault(string endpoint, TraktStatusFault? fault)
    {
        if (fault?.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(fault));
        }

        if (fault is null)
        {
            _statusFaults.TryRemove(endpoint, out _);
            _remaining.TryRemove(endpoint, out _);
            return;
        }

        _statusFaults[endpoint] = fault;
        if (fault.Times is { } times)
        {
            _remaining[endpoint] = times;
        }
        else
        {
            _remaining.TryRemove(endpoint, out _);
        }
    }

    public void ClearStatusFaults()
    {
        _statusFaults.Clear();
        _remaining.Clear();
    }

    /// <summary>The status fault a request to <paramref name="endpoint"/> meets, counting down its <c>Times</c>.</summary>
    internal TraktStatusFault? TakeStatusFault(string endpoint)
    {
        foreach (var key in new[] { endpoint, "*" })
        {
            if (!_statusFaults.TryGetValue(key, out var fault))
            {
                continue;
            }

            if (fault.Times is null)
            {
                return fault;
            }

            while (_remaining.TryGetValue(key, out var left) && left > 0)
            {
                if (_remaining.TryUpdate(key, left - 1, left))
                {
                    return fault;
                }
            }
        }

        return null;
    }

    public TraktToken Issue(string account) => State.Issue(Account(account).Name);

    public void Approve(string userCode, string account) => State.Decide(Device(userCode), Account(account).Name);

    public void Deny(string userCode) => State.Decide(Device(userCode), null);

    public TraktDeviceCode Device(string userCode) => State.DeviceByUserCode(userCode) ?? throw new KeyNotFoundException($"No device code with user code '{userCode}'.");

    public TraktMedia Media(string type, long trakt) =>
        (TraktJson.KindOf(type) is { } kind ? State.Catalog.ById(kind, "trakt", trakt.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null)
        ?? throw new KeyNotFoundException($"No {type} with trakt id {trakt}.");

    public long Play(string account, TraktMedia media, DateTimeOffset? watchedAt) => State.Play(Account(account), media, watchedAt);

    public void Rate(string account, TraktMedia media, int rating, DateTimeOffset? at)
    {
        if (rating is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(rating), rating, "rating must be from 1 to 10");
        }

        State.Rate(Account(account), media, rating, at);
    }

    public bool Watchlist(string account, TraktMedia media, bool add) => add ? State.ListAdd(Account(account), media) : State.ListRemove(Account(account), media);

    public TraktPlayback Pause(string account, TraktMedia media, double progress) => State.Pause(Account(account), media, progress);

    public void Lock(string account, bool locked, bool deactivated)
    {
        var who = Account(account);
        lock (State.Gate)
        {
            who.Locked = locked;
            who.Deactivated = deactivated;
        }
    }

    public TraktAccountDump Dump(string account)
    {
        var who = Account(account);
        lock (State.Gate)
        {
            return new TraktAccountDump(
                who.Name,
                [.. who.Plays.Select(p => new TraktPlayDump(p.Id, TraktJson.Singular(p.Media.Kind), p.Media.Trakt, p.WatchedAt, p.Action))],
                [.. who.Ratings.Values.Select(r => new TraktRatingDump(TraktJson.Singular(r.Media.Kind), r.Media.Trakt, r.Rating, r.RatedAt))],
                [.. who.Watchlist.Select(e => new TraktListDump(e.Id, TraktJson.Singular(e.Media.Kind), e.Media.Trakt, e.ListedAt))],
                [.. who.Playback.Values.Select(p => new TraktPlaybackDump(p.Id, TraktJson.Singular(p.Media.Kind), p.Media.Trakt, p.Progress, p.PausedAt))]);
        }
    }
}
