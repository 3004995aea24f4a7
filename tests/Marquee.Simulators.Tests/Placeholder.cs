namespace Marquee.Simulators.Tests;

internal static class Placeholder
{
}
