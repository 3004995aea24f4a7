namespace Marquee.Simulators.Arr;

/// <summary>Which application the simulator plays: Radarr (movies) or Sonarr (series and episodes).</summary>
public enum ArrFlavor
{
    Radarr,
    Sonarr,
}
