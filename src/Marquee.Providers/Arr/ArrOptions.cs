using Marquee.Providers.Http;

namespace Marquee.Providers.Arr;

/// <summary>Process-wide Radarr and Sonarr settings, bound from the <c>Marquee:Arr</c> configuration section.</summary>
public sealed class ArrOptions : ProviderClientOptions
{
    public const string Section = "Marquee:Arr";

    /// <summary>Initializes a new instance of the <see cref="ArrOptions"/> class: a whole-library listing of a large Radarr is many MB, so a request may take a minute.</summary>
    public ArrOptions() => RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how often the unmonitor catch-up reads watch state in bulk, in minutes (0: never; the live path still runs).</summary>
    public double UnmonitorCatchUpMinutes { get; set; } = 60;
}
