namespace Marquee.Core.Sync;

/// <summary>
/// Resume points kept as a share of the item's length (Trakt), which Marquee writes to a hundredth of a percent. A share
/// read back stands for any position within half a hundredth of the length of the one written: 1.5 s on a five-hour
/// film, more than <see cref="SyncRules.ProgressToleranceMs"/>. A listed share that the account's baseline position
/// rounds to is therefore that position, so a resume point Marquee wrote (or read before) never comes back as a change.
/// </summary>
public static class ProgressShare
{
    /// <summary>The precision a share is written with, in percent.</summary>
    public const double Step = 0.01;

    /// <summary>The share of <paramref name="durationMs"/> that <paramref name="positionMs"/> is, in percent, to <see cref="Step"/>.</summary>
    public static double Of(long positionMs, long durationMs) => Math.Round(positionMs * 100.0 / durationMs, 2);

    /// <summary>
    /// The position a share stands for: the baseline's position when the share is that position's share, else the share of
    /// the length; null when the length is unknown.
    /// </summary>
    public static long? Position(double percent, long? durationMs, long? baselineMs)
    {
        if (durationMs is not { } duration || duration <= 0)
        {
            return null;
        }

        return baselineMs is { } baseline && Math.Abs((baseline * 100.0 / duration) - percent) <= (Step / 2) + 1e-9
            ? baseline
            : (long)Math.Round(percent * duration / 100);
    }
}
