namespace Marquee.Providers;

internal static class Placeholder
{
}
