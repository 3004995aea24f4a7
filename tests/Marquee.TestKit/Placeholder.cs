namespace Marquee.TestKit;

internal static class Placeholder
{
}
