namespace Marquee.Core.Sync;

/// <summary>Trims a large table a run keeps to what it holds and an eighth more, when it has grown to half again as much.</summary>
internal static class Room
{
    public static void Trim<TKey, TValue>(Dictionary<TKey, TValue> table)
        where TKey : notnull
    {
        if (table.Capacity > table.Count + (table.Count / 2))
        {
            table.TrimExcess(table.Count + (table.Count / 8));
        }
    }

    public static void Trim<T>(HashSet<T> set)
    {
        if (set.Capacity > set.Count + (set.Count / 2))
        {
            set.TrimExcess(set.Count + (set.Count / 8));
        }
    }
}
