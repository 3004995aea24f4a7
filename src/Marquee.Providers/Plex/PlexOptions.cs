using Marquee.Providers.Http;

namespace Marquee.Providers.Plex;

/// <summary>Process-wide Plex settings, bound from the <c>Marquee:Plex</c> configuration section.</summary>
public sealed class PlexOptions : ProviderClientOptions
{
    public const string Section = "Marquee:Plex";

    /// <summary>Gets or sets the plex.tv base URL (accounts, PINs, resources, Home users, friends).</summary>
    public Uri PlexTvUrl { get; set; } = new("https://plex.tv/");

    /// <summary>Gets or sets the Discover base URL (watchlist).</summary>
    public Uri DiscoverUrl { get; set; } = new("https://discover.provider.plex.tv/");

    /// <summary>Gets or sets the community base URL (GraphQL at <c>api</c>: friends' watchlists).</summary>
    public Uri CommunityUrl { get; set; } = new("https://community.plex.tv/");

    /// <summary>Gets or sets the pause between two pages of one friend's watchlist (the community API answers 429 to fast paging).</summary>
    public TimeSpan CommunityPageDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the X-Plex-Product Marquee announces.</summary>
    public string Product { get; set; } = "Marquee";

    /// <summary>Gets or sets the X-Plex-Client-Identifier used when a connection has none.</summary>
    public string ClientIdentifier { get; set; } = "marquee";

    /// <summary>Gets or sets the default number of parallel requests per server.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Gets or sets the page size of bulk listings (X-Plex-Container-Size).</summary>
    public int PageSize { get; set; } = 1000;
}
