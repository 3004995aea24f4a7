using System.Globalization;

namespace Marquee.Core.Validation;

/// <summary>Connections, profiles and flows are addressed by numeric id or by name (names are never all digits).</summary>
public static class IdOrName
{
    public static async Task<T> FindAsync<T>(string idOrName, string what, Func<long, Task<T?>> byId, Func<string, Task<T?>> byName)
        where T : class
    {
        var found = long.TryParse(idOrName, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await byId(id)
            : await byName(idOrName);
        return found ?? throw new NotFoundException(what, idOrName);
    }
}
