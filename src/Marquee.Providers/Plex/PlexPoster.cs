namespace Marquee.Providers.Plex;

/// <summary>Which of an item's artwork paths is its poster in a notification.</summary>
public static class PlexPoster
{
    /// <summary>
    /// An episode's poster is its show's (<c>grandparentThumb</c>), else its season's, else its own still; any other
    /// item's is its own <c>thumb</c>. Only a path on the server itself counts (<c>/library/metadata/…</c>): an absolute
    /// URL is left out, so the server's token is only ever sent to the server.
    /// </summary>
    public static string? Of(string? type, string? thumb, string? parentThumb, string? grandparentThumb)
    {
        return type == "episode" ? Path(grandparentThumb) ?? Path(parentThumb) ?? Path(thumb) : Path(thumb) ?? Path(parentThumb);
    }

    /// <summary>Whether <paramref name="path"/> is a path on the server (starts with one slash, no scheme, no host, at most 500 characters).</summary>
    public static bool IsServerPath(string? path) =>
        path is { Length: > 1 and <= 500 } && path[0] == '/' && path[1] != '/' && !path.Contains('\\', StringComparison.Ordinal) && !path.Any(char.IsControl)
        && !path.Contains("://", StringComparison.Ordinal);

    private static string? Path(string? value) => IsServerPath(value) ? value : null;
}
