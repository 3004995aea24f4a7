using Marquee.Core.Items;

namespace Marquee.Core.Labels;

/// <summary>A movie or show of a media server's library with the labels it carries, as one listing page gives it.</summary>
/// <param name="LocalKey">The server's key (Plex <c>ratingKey</c>).</param>
/// <param name="LibraryKey">The library (section) holding it.</param>
/// <param name="IsShow">True for a show, false for a movie.</param>
/// <param name="Title">The title, for reports.</param>
/// <param name="Ids">External ids (tmdb, tvdb, imdb) from the listing.</param>
/// <param name="Labels">Every label on the item, Marquee's and others'.</param>
public sealed record LabelTarget(string LocalKey, string LibraryKey, bool IsShow, string? Title, IReadOnlyList<ExternalId> Ids, IReadOnlyList<string> Labels);

/// <summary>A media server whose movies and shows can be listed with their labels in bulk and relabelled one edit per item.</summary>
public interface ILabelLibrary
{
    /// <summary>Lists every movie and show with its ids and labels: one paged listing per library, no read per item.</summary>
    Task<IReadOnlyList<LabelTarget>> ListLabelTargetsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes the item's whole label list in one edit, locked: <paramref name="labels"/> is every label it keeps (other
    /// labels included); <paramref name="removed"/> are the ones taken off (used when nothing is left).
    /// </summary>
    Task SetLabelsAsync(LabelTarget target, IReadOnlyList<string> labels, IReadOnlyList<string> removed, CancellationToken cancellationToken);
}
