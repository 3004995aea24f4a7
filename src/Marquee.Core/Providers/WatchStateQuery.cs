namespace Marquee.Core.Providers;

/// <summary>What to read: everything, or what changed since a time; optionally only some libraries (by title or key).</summary>
public sealed record WatchStateQuery
{
    public static WatchStateQuery Full { get; } = new();

    public DateTimeOffset? ChangedSince { get; init; }

    public IReadOnlyList<string> Libraries { get; init; } = [];

    /// <summary>
    /// Whether resume points are wanted (a flow carrying progress). When false, a provider that lists them with a request
    /// of their own (Trakt's <c>/sync/playback</c>) leaves that request out; others may list them anyway.
    /// </summary>
    public bool Progress { get; init; } = true;
}
