using Marquee.Providers.Http;

namespace Marquee.Providers.Shoko;

/// <summary>Process-wide Shoko settings, bound from the <c>Marquee:Shoko</c> configuration section.</summary>
public sealed class ShokoOptions : ProviderClientOptions
{
    public const string Section = "Marquee:Shoko";

    /// <summary>Gets or sets the page size of the series listing (the server allows 1 to 100).</summary>
    public int PageSize { get; set; } = 100;
}
