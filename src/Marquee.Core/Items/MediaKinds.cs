namespace Marquee.Core.Items;

public static class MediaKinds
{
    /// <summary>The kind's name as the store and the unresolved list keep it ("movie", "episode"), without allocating one per item.</summary>
    public static string Name(this MediaKind kind) => kind switch
    {
        MediaKind.Movie => "movie",
        MediaKind.Show => "show",
        MediaKind.Season => "season",
        MediaKind.Episode => "episode",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
