namespace Marquee.Data.Tests;

internal static class Placeholder
{
}
