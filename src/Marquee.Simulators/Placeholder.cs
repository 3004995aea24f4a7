namespace Marquee.Simulators;

internal static class Placeholder
{
}
