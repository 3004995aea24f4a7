namespace Marquee.Core.Providers;

/// <summary>An item with one account's state of it, as read in bulk.</summary>
public sealed record SourceItemState(SourceItem Item, WatchState State);
