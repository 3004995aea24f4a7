namespace Marquee.Core.Tests;

internal static class Placeholder
{
}
