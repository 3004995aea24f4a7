namespace Marquee.Simulators.Jellyfin;

/// <summary>Which server the simulator plays; they share most of the API but differ in ids, routes, date formats and auth.</summary>
public enum JellyfinFlavor
{
    Jellyfin,
    Emby,
}
