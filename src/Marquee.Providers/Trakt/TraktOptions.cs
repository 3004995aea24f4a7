namespace Marquee.Providers.Trakt;

/// <summary>Process-wide Trakt settings, bound from the <c>Marquee:Trakt</c> configuration section.</summary>
public sealed class TraktOptions
{
    public const string Section = "Marquee:Trakt";

    /// <summary>Gets or sets the least time between two writes of one account; Trakt allows one per second (the client keeps 1.1 times this apart).</summary>
    public TimeSpan WriteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the client id used by <c>connection add trakt</c> when none is given.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret used by <c>connection add trakt</c> when none is given.</summary>
    public string? ClientSecret { get; set; }
}
