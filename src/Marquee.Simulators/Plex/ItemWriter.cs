using Marquee.Simulators.Plex.Model;

namespace Marquee.Simulators.Plex;

[Flags]
public enum ItemView
{
    List = 0,
    Guids = 1,
    Detail = 2 | Guids,
    SectionOnItem = 4,
    NoMedia = 8,
}

/// <summary>Writes items in the field order and shape of the recorded PMS examples.</summary>
public static class ItemWriter
{
    public static string XmlName(PlexItem item) => item.IsLeaf ? "Video" : "Directory";

    /// <summary>An item's external ids as Plex lists them: a <c>Guid</c> array of <c>{"id": …}</c>.</summary>
    public static void WriteGuids(PlexWriter w, IEnumerable<string> guids)
    {
        w.StartArray("Guid");
        foreach (var guid in guids)
        {
            w.StartItem("Guid");
            w.Str("id", guid);
            w.EndItem();
        }

        w.EndArray();
    }

    public static void Write(PlexWriter w, PlexState state, SimAccount account, PlexItem item, ItemView view, IReadOnlySet<string>? excludeFields = null)
    {
        w.StartItem(XmlName(item));
        WriteFields(w, state, account, item, view, excludeFields);
        WriteChildren(w, state, item, view);
        w.EndItem();
    }

    /// <summary>
    /// Scalar fields; the caller may add more scalars before <see cref="WriteChildren"/>. <paramref name="excludeFields"/>
    /// (a listing's <c>excludeFields</c>, PLEX-API.md 1.5) names the item's own fields to leave out; its children
    /// (<c>Media</c>, <c>Guid</c>, <c>Label</c>) are written whole.
    /// </summary>
    public static void WriteFields(PlexWriter writer, PlexState state, SimAccount account, PlexItem item, ItemView view, IReadOnlySet<string>? excludeFields = null)
    {
        var w = new Fields(writer, excludeFields);
        var rk = item.RatingKey.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var season = item.Type == ItemType.Episode ? item.Parent : null;
        var show = item.Show;
        w.Str("ratingKey", rk);
        w.Str("key", item.Key);
        if (item.Type == ItemType.Episode)
        {
            w.NumStr("parentRatingKey", season!.RatingKey);
            w.NumStr("grandparentRatingKey", show!.RatingKey);
        }
        else if (item.Type == ItemType.Season)
        {
            w.NumStr("parentRatingKey", show!.RatingKey);
        }

        w.Str("guid", item.PrimaryGuid);
        if (item.Type == ItemType.Episode)
        {
            w.Str("parentGuid", season!.PrimaryGuid);
            w.Str("grandparentGuid", show!.PrimaryGuid);
        }
        else if (item.Type == ItemType.Season)
        {
            w.Str("parentGuid", show!.PrimaryGuid);
        }

        w.StrIf("studio", item.Studio);
        w.Str("type", item.TypeName);
        w.Str("title", item.Title);
        if (item.Type == ItemType.Episode)
        {
            w.Str("grandparentKey", $"/library/metadata/{show!.RatingKey}");
            w.Str("parentKey", $"/library/metadata/{season!.RatingKey}");
            w.Str("grandparentTitle", show.Title);
            w.Str("parentTitle", season.Title);
        }
        else if (item.Type == ItemType.Season)
        {
            w.Str("parentKey", $"/library/metadata/{show!.RatingKey}");
            w.Str("parentTitle", show.Title);
        }

        if (item.Type != ItemType.Season)
        {
            w.Str("titleSort", item.TitleSort ?? item.Title);
        }

        w.StrIf("editionTitle", item.EditionTitle);
        w.StrIf("contentRating", item.ContentRating);
        w.Str("summary", item.Summary ?? string.Empty);
        if (item.Type is ItemType.Season or ItemType.Episode)
        {
            w.Num("index", item.Index);
            w.Num("parentIndex", item.Type == ItemType.Episode ? season!.Index : 1);
        }

        var s = state.Aggregate(account, item);
        if (s.UserRating is { } rating)
        {
            w.Dbl("userRating", rating);
        }

        w.NumIf("viewCount", s.ViewCount);
        w.NumIf("lastViewedAt", s.LastViewedAt);
        if (s.UserRating is not null)
        {
            w.NumIf("lastRatedAt", s.LastRatedAt);
        }

        w.NumIf("viewOffset", s.ViewOffset);
        if (item.Year != 0)
        {
            w.Num("year", item.Year);
        }

        w.Str("thumb", $"/library/metadata/{item.RatingKey}/thumb/{item.UpdatedAt}");
        var artKey = show?.RatingKey ?? item.RatingKey;
        w.Str("art", $"/library/metadata/{artKey}/art/{item.UpdatedAt}");
        if (item.Type == ItemType.Episode)
        {
            w.Str("parentThumb", $"/library/metadata/{season!.RatingKey}/thumb/{season.UpdatedAt}");
            w.Str("grandparentThumb", $"/library/metadata/{show!.RatingKey}/thumb/{show.UpdatedAt}");
            w.Str("grandparentArt", $"/library/metadata/{show.RatingKey}/art/{show.UpdatedAt}");
        }
        else if (item.Type == ItemType.Season)
        {
            w.Str("parentThumb", $"/library/metadata/{show!.RatingKey}/thumb/{show.UpdatedAt}");
        }

        if (item.Duration > 0)
        {
            w.Num("duration", item.Duration);
        }

        w.StrIf("originallyAvailableAt", item.OriginallyAvailableAt);
        if (!item.IsLeaf)
        {
            w.Num("leafCount", s.LeafCount);
            w.Num("viewedLeafCount", s.ViewedLeafCount);
            if (item.Type == ItemType.Show)
            {
                w.Num("childCount", s.ChildCount);
            }
        }

        w.Num("addedAt", item.AddedAt);
        w.Num("updatedAt", item.UpdatedAt);
        if (item.DeletedAt != 0)
        {
            w.Num("deletedAt", item.DeletedAt);
        }

        if ((view & ItemView.SectionOnItem) != 0)
        {
            var section = state.Section(item.SectionId)!;
            w.Num("librarySectionID", section.Id);
            w.Str("librarySectionKey", $"/library/sections/{section.Id}");
            w.Str("librarySectionTitle", section.Title);
        }
    }

    public static void WriteChildren(PlexWriter w, PlexState state, PlexItem item, ItemView view, string? decision = null)
    {
        if (item.IsLeaf && item.MediaId != 0 && (view & ItemView.NoMedia) == 0)
        {
            w.StartArray("Media");
            w.StartItem("Media");
            if (decision is null)
            {
                w.Num("id", item.MediaId);
            }
            else
            {
                w.NumStr("id", item.MediaId);
            }

            w.Num("duration", item.Duration);
            w.Num("bitrate", item.VideoHeight > 1080 ? 40000 : 12000);
            w.Num("width", item.VideoHeight > 1080 ? 3840 : 1920);
            w.Num("height", item.VideoHeight > 1080 ? 2160 : 1080);
            w.Num("audioChannels", 6);
            w.Str("audioCodec", "eac3");
            w.Str("videoCodec", "hevc");
            w.Str("videoResolution", item.VideoHeight > 1080 ? "4k" : "1080");
            w.Str("container", "mkv");
            if (decision is not null)
            {
                w.Bool("selected", true);
            }

            w.StartArray("Part");
            w.StartItem("Part");
            if (decision is null)
            {
                w.Num("id", item.PartId);
            }
            else
            {
                w.NumStr("id", item.PartId);
            }

            w.Str("key", $"/library/parts/{item.PartId}/{item.AddedAt}/file.mkv");
            w.Num("duration", item.Duration);
            w.Str("file", item.File);
            w.Str("container", "mkv");
            if (decision is not null)
            {
                w.Str("decision", decision);
                w.Bool("selected", true);
            }
            else
            {
                w.Num("size", item.Duration * 1500);
            }

            w.EndItem();
            w.EndArray();
            w.EndItem();
            w.EndArray();
        }

        if (item.Labels.Length > 0 && decision is null)
        {
            w.StartArray("Label");
            foreach (var label in item.Labels)
            {
                w.StartItem("Label");
                if ((view & ItemView.Detail) == ItemView.Detail)
                {
                    w.Num("id", label);
                    w.Str("filter", $"label={label}");
                }

                w.Str("tag", state.LabelName(label));
                w.EndItem();
            }

            w.EndArray();
        }

        if ((view & ItemView.Guids) != 0 && item.ExternalGuids.Length > 0)
        {
            WriteGuids(w, item.ExternalGuids);
        }

        if ((view & ItemView.Detail) == ItemView.Detail && item.Folder is not null && decision is null)
        {
            w.StartArray("Location");
            w.StartItem("Location");
            w.Str("path", item.Folder);
            w.EndItem();
            w.EndArray();
        }

        if ((view & ItemView.Detail) == ItemView.Detail && item.LabelLocked)
        {
            w.StartArray("Field");
            w.StartItem("Field");
            w.Bool("locked", true);
            w.Str("name", "label");
            w.EndItem();
            w.EndArray();
        }
    }

    /// <summary>An item's scalar fields, each written unless its name is among the excluded ones.</summary>
    private readonly struct Fields(PlexWriter w, IReadOnlySet<string>? excluded)
    {
        public void Str(string name, string? value)
        {
            if (Wants(name))
            {
                w.Str(name, value);
            }
        }

        public void StrIf(string name, string? value)
        {
            if (Wants(name))
            {
                w.StrIf(name, value);
            }
        }

        public void NumStr(string name, long value)
        {
            if (Wants(name))
            {
                w.NumStr(name, value);
            }
        }

        public void Num(string name, long value)
        {
            if (Wants(name))
            {
                w.Num(name, value);
            }
        }

        public void NumIf(string name, long value)
        {
            if (Wants(name))
            {
                w.NumIf(name, value);
            }
        }

        public void Dbl(string name, double value)
        {
            if (Wants(name))
            {
                w.Dbl(name, value);
            }
        }

        private bool Wants(string name) => excluded is null || !excluded.Contains(name);
    }
}
