namespace Marquee.Cli.Tests;

internal static class Placeholder
{
}
