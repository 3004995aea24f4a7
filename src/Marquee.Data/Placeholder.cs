namespace Marquee.Data;

internal static class Placeholder
{
}
