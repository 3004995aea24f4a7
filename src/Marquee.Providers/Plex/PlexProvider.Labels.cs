using System.Globalization;
using System.Text;
using Marquee.Core.Labels;

namespace Marquee.Providers.Plex;

/// <summary>
/// Label sync's side of Plex: the movies and shows of every movie and show library with their labels, one paged listing
/// per library and type (PLEX-API.md 4.2), and one section edit per item that replaces its whole label list, locked (5.6).
/// </summary>
public sealed partial class PlexProvider : ILabelLibrary
{
    public async Task<IReadOnlyList<LabelTarget>> ListLabelTargetsAsync(CancellationToken cancellationToken)
    {
        var sections = await SectionsAsync(_settings.Token, cancellationToken);
        var result = new List<LabelTarget>();
        foreach (var section in sections.Where(s => s.Type is "movie" or "show"))
        {
            var isShow = section.Type == "show";
            await foreach (var item in PagesAsync(_settings.Token, section.Key, isShow ? 2 : 1, string.Empty, cancellationToken))
            {
                if (item.RatingKey is { Length: > 0 } key)
                {
                    var ids = PlexGuidParser.ForItem(item.PrimaryGuid, item.GuidIds).Ids;
                    result.Add(new LabelTarget(key, section.Key, isShow, item.Title, ids, Labels(item.Label)));
                }
            }
        }

        return result;
    }

    public Task SetLabelsAsync(LabelTarget target, IReadOnlyList<string> labels, IReadOnlyList<string> removed, CancellationToken cancellationToken)
    {
        var edits = new StringBuilder();
        if (labels.Count > 0)
        {
            // Setting labels replaces the whole list, so every label the item keeps is sent.
            for (var i = 0; i < labels.Count; i++)
            {
                edits.Append(CultureInfo.InvariantCulture, $"&label%5B{i}%5D.tag.tag={E(labels[i])}");
            }
        }
        else
        {
            edits.Append("&label%5B%5D.tag.tag-=").Append(string.Join(',', removed.Select(E)));
        }

        edits.Append("&label.locked=1");
        var type = target.IsShow ? 2 : 1;
        return _client.WriteAsync(PlexHost.Server, HttpMethod.Put, SectionAll, $"library/sections/{E(target.LibraryKey)}/all?type={type}&id={E(target.LocalKey)}{edits}", _settings.Token, cancellationToken);
    }
}
