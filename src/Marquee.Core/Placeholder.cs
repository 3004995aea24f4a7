namespace Marquee.Core;

internal static class Placeholder
{
}
