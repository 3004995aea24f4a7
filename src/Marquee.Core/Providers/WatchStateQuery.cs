namespace Marquee.Core.Providers;

/// <summary>What to read: everything, or what changed since a time; optionally only some libraries (by title or key).</summary>
public sealed record WatchStateQuery
{
    public static WatchStateQuery Full { get; } = new();

    public DateTimeOffset? ChangedSince { get; init; }

    public IReadOnlyList<string> Libraries { get; init; } = [];
}
