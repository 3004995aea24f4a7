namespace Marquee.Data.Sqlite;

internal static class Placeholder
{
}
