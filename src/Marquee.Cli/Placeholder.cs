namespace Marquee.Cli;

internal static class Placeholder
{
}
