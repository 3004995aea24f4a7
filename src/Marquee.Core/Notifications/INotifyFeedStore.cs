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
}
