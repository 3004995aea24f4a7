namespace Marquee.Simulators.Jellyfin.Model;

/// <summary>One user's data for one item (UserItemDataDto); <see cref="LastSaved"/> drives <c>MinDateLastSavedForUser</c>.</summary>
public readonly record struct JfUserData(
    long PlaybackPositionTicks,
    int PlayCount,
    bool IsFavorite,
    bool Played,
    DateTimeOffset? LastPlayedDate,
    double? Rating,
    bool? Likes,
    DateTimeOffset LastSaved)
{
    public bool IsEmpty => PlaybackPositionTicks == 0 && PlayCount == 0 && !IsFavorite && !Played && LastPlayedDate is null && Rating is null && Likes is null;
}
