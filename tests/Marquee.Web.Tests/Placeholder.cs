namespace Marquee.Web.Tests;

internal static class Placeholder
{
}
