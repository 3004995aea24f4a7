namespace Marquee.Core.Providers;

/// <summary>What a kind of provider can do, so the planner never asks for something it cannot do.</summary>
public sealed record ProviderCapabilities
{
    public static ProviderCapabilities None { get; } = new();

    public bool CanReadWatchState { get; init; }

    public bool CanWriteWatchState { get; init; }

    /// <summary>Gets a value indicating whether a watch can be written with its original date.</summary>
    public bool CanBackdateWatched { get; init; }

    public bool CanRate { get; init; }

    public bool CanWriteProgress { get; init; }

    public bool HasWatchlist { get; init; }

    public int MaxPageSize { get; init; } = 1000;

    public IReadOnlyList<string> Features
    {
        get
        {
            var features = new List<string>();
            if (CanReadWatchState || CanWriteWatchState)
            {
                features.Add(Flows.FlowFeature.Watched);
            }

            if (CanRate)
            {
                features.Add(Flows.FlowFeature.Ratings);
            }

            if (CanWriteProgress)
            {
                features.Add(Flows.FlowFeature.Progress);
            }

            if (HasWatchlist)
            {
                features.Add(Flows.FlowFeature.Watchlist);
            }

            return features;
        }
    }
}
