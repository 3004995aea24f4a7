namespace Marquee.Core.Items;

public enum MediaKind
{
    Movie,
    Show,
    Season,
    Episode,
}
