using Marquee.Providers.Http;

namespace Marquee.Providers.Jellyfin;

/// <summary>Process-wide Jellyfin and Emby settings, bound from the <c>Marquee:Jellyfin</c> configuration section.</summary>
public sealed class JellyfinOptions : ProviderClientOptions
{
    public const string Section = "Marquee:Jellyfin";

    /// <summary>Gets or sets the page size of bulk listings (<c>Limit</c>).</summary>
    public int PageSize { get; set; } = 500;
}
