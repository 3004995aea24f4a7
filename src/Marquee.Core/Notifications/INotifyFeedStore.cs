using Marquee.Core.Webhooks;

namespace Marquee.Core.Notifications;

/// <summary>
/// The stored live events as notifications read them: in store order, with the details a message shows, and the cursor
/// below which every event was notified (so events stored just before a crash are notified after the restart).
/// </summary>
public interface INotifyFeedStore
{
    /// <summary>The id of the last live event every notification was made for.</summary>
    Task<long> GetCursorAsync(CancellationToken cancellationToken);

    /// <summary>Moves the cursor forward to <paramref name="lastId"/> (never back).</summary>
    Task SetCursorAsync(long lastId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> live events after <paramref name="afterId"/>, oldest first, with their details.</summary>
    Task<IReadOnlyList<LiveEvent>> ListAfterAsync(long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Records users and devices as seen at <paramref name="at"/> (new ones notify by default).</summary>
    Task AddSeenAsync(IReadOnlyList<SeenEntry> seen, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every user and device seen, users first.</summary>
    Task<IReadOnlyList<SeenEntry>> ListSeenAsync(CancellationToken cancellationToken);

    /// <summary>Turns notifications of one seen user or device on or off; false when it was never seen.</summary>
    Task<bool> SetNotifyAsync(string kind, string key, bool notify, CancellationToken cancellationToken);
}

/// <summary>A user or device (player) notifications have seen.</summary>
/// <param name="Kind"><c>user</c> or <c>device</c>.</param>
/// <param name="Key">The account id, or the player's name.</param>
/// <param name="Name">The account's name.</param>
/// <param name="Notify">False: nothing this user or device does is told.</param>
/// <param name="LastSeen">When it was last seen.</param>
public sealed record SeenEntry(string Kind, string Key, string? Name, bool Notify = true, DateTimeOffset? LastSeen = null)
{
    public const string User = "user";
    public const string Device = "device";
}
