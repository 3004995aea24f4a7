namespace Marquee.Core.Notifications;

/// <summary>
/// Reads an item's poster from the media server that has it, with the server's own credential, for a notification
/// being sent. Bounded: at most <see cref="MaxBytes"/>, a JPEG, PNG or WebP, within <see cref="Timeout"/>; anything else
/// is a failure with its reason, and the message goes without the poster.
/// </summary>
public interface IPosterReader
{
    /// <summary>The largest poster read (2 MiB).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>How long reading a poster may take (5 s).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The image types a poster may be.</summary>
    public static readonly IReadOnlySet<string> ContentTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/png", "image/webp" };

    /// <summary>Gets the provider kind whose posters this reads (<see cref="NotificationPoster.Source"/>).</summary>
    string Source { get; }

    /// <summary>Reads the poster; never throws for what the server answers (a failure carries its reason).</summary>
    Task<PosterRead> ReadAsync(NotificationPoster poster, CancellationToken cancellationToken);
}

/// <summary>A poster as read: its bytes and content type, or why there is none.</summary>
public sealed record PosterRead(byte[]? Data, string? ContentType, string? Why)
{
    public static PosterRead Failed(string why) => new(null, null, why);

    /// <summary>The file name of the upload, by content type: <c>poster.jpg</c>, <c>poster.png</c> or <c>poster.webp</c>.</summary>
    public string FileName => ContentType?.ToLowerInvariant() switch
    {
        "image/png" => "poster.png",
        "image/webp" => "poster.webp",
        _ => "poster.jpg",
    };
}
