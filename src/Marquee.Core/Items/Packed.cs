namespace Marquee.Core.Items;

/// <summary>
/// Optional values kept in fields without a flag beside each: a run holds several hundred thousand watch states, baselines
/// and listed items at once, and a nullable <see cref="DateTimeOffset"/> takes 24 bytes where a tick count takes 8. A time
/// keeps its instant (its UTC ticks), not the offset it was read with; times compare and sort by their instant anyway.
/// </summary>
internal static class Packed
{
    /// <summary>The value standing for "none" in a packed time, count or position.</summary>
    public const long None = long.MinValue;

    /// <summary>The value standing for "none" in a packed small number (a year, a season, an episode).</summary>
    public const int NoNumber = int.MinValue;

    public static long Pack(DateTimeOffset? value) => value is { } time ? time.UtcTicks : None;

    public static DateTimeOffset? Time(long ticks) => ticks == None ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    public static long Pack(long? value) => value ?? None;

    public static long? Long(long value) => value == None ? null : value;

    public static int Pack(int? value) => value ?? NoNumber;

    public static int? Int(int value) => value == NoNumber ? null : value;

    /// <summary>A missing number is NaN; no rating or share is NaN, and NaN equals NaN in a record's equality.</summary>
    public static double Pack(double? value) => value ?? double.NaN;

    public static double? Double(double value) => double.IsNaN(value) ? null : value;
}
