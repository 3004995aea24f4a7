namespace Marquee.Core.Providers;

/// <summary>
/// What a kind of provider can do, so the planner never asks for something it cannot do. The flags come from the
/// capability interfaces the kind's provider type implements (<see cref="Of"/>); only facts no interface can state
/// (<see cref="ProviderFacts"/>) are written down by hand.
/// </summary>
public sealed record ProviderCapabilities
{
    public static ProviderCapabilities None { get; } = new();

    /// <summary>Gets a value indicating whether the provider implements <see cref="IWatchStateSource"/>.</summary>
    public bool CanReadWatchState { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IWatchStateSink"/>.</summary>
    public bool CanWriteWatchState { get; init; }

    /// <summary>Gets a value indicating whether a watch can be written with its original date (a fact).</summary>
    public bool CanBackdateWatched { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IRatingSink"/>.</summary>
    public bool CanRate { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IProgressSink"/>.</summary>
    public bool CanWriteProgress { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IWatchlist"/>.</summary>
    public bool HasWatchlist { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IWatchlistLookup"/>.</summary>
    public bool CanFindWatchlistKeys { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IWatchlistBatch"/>.</summary>
    public bool CanBatchWatchlist { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IAccountDirectory"/>.</summary>
    public bool CanListAccounts { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="ILibraryDirectory"/>.</summary>
    public bool CanListLibraries { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IHistorySource"/>.</summary>
    public bool CanReadHistory { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="ISessionManager"/>.</summary>
    public bool CanManageSessions { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="ILabelManager"/>.</summary>
    public bool CanEditLabels { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="ILibraryMaintenance"/>.</summary>
    public bool CanMaintainLibraries { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="IBatchWriteSink"/>.</summary>
    public bool CanWriteBatches { get; init; }

    /// <summary>Gets a value indicating whether the provider implements <see cref="ICatalogTarget"/>.</summary>
    public bool HasOpenCatalog { get; init; }

    /// <summary>Gets the largest page the provider reads at once (a fact).</summary>
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

    /// <summary>The capabilities of a provider type: a flag for each capability interface it implements, plus the facts.</summary>
    public static ProviderCapabilities Of(Type providerType, ProviderFacts facts)
    {
        ArgumentNullException.ThrowIfNull(providerType);
        ArgumentNullException.ThrowIfNull(facts);
        return new()
        {
            CanReadWatchState = typeof(IWatchStateSource).IsAssignableFrom(providerType),
            CanWriteWatchState = typeof(IWatchStateSink).IsAssignableFrom(providerType),
            CanRate = typeof(IRatingSink).IsAssignableFrom(providerType),
            CanWriteProgress = typeof(IProgressSink).IsAssignableFrom(providerType),
            HasWatchlist = typeof(IWatchlist).IsAssignableFrom(providerType),
            CanFindWatchlistKeys = typeof(IWatchlistLookup).IsAssignableFrom(providerType),
            CanBatchWatchlist = typeof(IWatchlistBatch).IsAssignableFrom(providerType),
            CanListAccounts = typeof(IAccountDirectory).IsAssignableFrom(providerType),
            CanListLibraries = typeof(ILibraryDirectory).IsAssignableFrom(providerType),
            CanReadHistory = typeof(IHistorySource).IsAssignableFrom(providerType),
            CanManageSessions = typeof(ISessionManager).IsAssignableFrom(providerType),
            CanEditLabels = typeof(ILabelManager).IsAssignableFrom(providerType),
            CanMaintainLibraries = typeof(ILibraryMaintenance).IsAssignableFrom(providerType),
            CanWriteBatches = typeof(IBatchWriteSink).IsAssignableFrom(providerType),
            HasOpenCatalog = typeof(ICatalogTarget).IsAssignableFrom(providerType),
            CanBackdateWatched = facts.CanBackdateWatched,
            MaxPageSize = facts.MaxPageSize,
        };
    }
}

/// <summary>What a kind of provider is like that no capability interface can say; kept as data on its descriptor.</summary>
public sealed record ProviderFacts
{
    public static ProviderFacts Default { get; } = new();

    /// <summary>Gets a value indicating whether a watch can be written with its original date.</summary>
    public bool CanBackdateWatched { get; init; }

    /// <summary>Gets the largest page the provider reads at once.</summary>
    public int MaxPageSize { get; init; } = 1000;
}
