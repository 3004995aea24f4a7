namespace Marquee.Web;

internal static class Placeholder
{
}
