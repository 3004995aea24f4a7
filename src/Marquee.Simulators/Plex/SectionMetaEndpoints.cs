using Marquee.Simulators.Plex.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>
/// The library root and what a client reads before a filtered search: <c>GET /library</c>, the
/// <c>Meta</c> block of <c>includeMeta=1</c> (filterable types with their filters, sorts and fields,
/// and the operators per field type), <c>/library/sections/{id}/collections</c>, <c>/filters</c> and
/// <c>/sorts</c>. Only what <see cref="MediaQuery"/> evaluates is described.
/// </summary>
internal static class SectionMetaEndpoints
{
    private static readonly (string Filter, string Type, string Title)[] Filters =
    [
        ("unwatched", "boolean", "Unplayed"),
        ("inProgress", "boolean", "In Progress"),
        ("year", "integer", "Year"),
        ("label", "tag", "Labels"),
        ("contentRating", "string", "Content Rating"),
        ("studio", "string", "Studio"),
    ];

    private static readonly (string Key, string Title, string DefaultDirection)[] Sorts =
    [
        ("titleSort", "Title", "asc"),
        ("year", "Year", "desc"),
        ("originallyAvailableAt", "Release Date", "desc"),
        ("addedAt", "Date Added", "desc"),
        ("updatedAt", "Date Updated", "desc"),
        ("lastViewedAt", "Date Viewed", "desc"),
        ("viewCount", "Plays", "desc"),
        ("userRating", "Rating", "desc"),
        ("lastRatedAt", "Date Rated", "desc"),
        ("duration", "Duration", "desc"),
    ];

    private static readonly (string Key, string Title, string Type)[] Fields =
    [
        ("title", "Title", "string"),
        ("titleSort", "Sort Title", "string"),
        ("guid", "Guid", "string"),
        ("year", "Year", "integer"),
        ("label", "Label", "tag"),
        ("contentRating", "Content Rating", "string"),
        ("studio", "Studio", "string"),
        ("originallyAvailableAt", "Release Date", "date"),
        ("addedAt", "Date Added", "date"),
        ("updatedAt", "Date Updated", "date"),
        ("lastViewedAt", "Last Played", "date"),
        ("lastRatedAt", "Last Rated", "date"),
        ("viewCount", "Plays", "integer"),
        ("userRating", "User Rating", "integer"),
        ("duration", "Duration", "integer"),
        ("unwatched", "Unplayed", "boolean"),
        ("inProgress", "In Progress", "boolean"),
    ];

    private static readonly (string Type, (string Key, string Title)[] Operators)[] FieldTypes =
    [
        ("tag", [("=", "is"), ("!=", "is not")]),
        ("integer", [("=", "is"), ("!=", "is not"), (">>=", "is greater than"), ("<<=", "is less than")]),
        ("string", [("=", "contains"), ("!=", "does not contain"), ("==", "is"), ("!==", "is not"), ("<=", "begins with"), (">=", "ends with")]),
        ("boolean", [("=", "is true"), ("!=", "is false")]),
        ("date", [("<<=", "is before"), (">>=", "is after")]),
    ];

    public static void MapSectionMeta(this IEndpointRouteBuilder app, PlexState state)
    {
        app.MapGet("/library", ctx => LibraryRootAsync(ctx, state));
        app.MapGet("/library/sections/{id}/collections", (HttpContext ctx, string id) => CollectionsAsync(ctx, state, id));
        app.MapGet("/library/sections/{id}/filters", (HttpContext ctx, string id) => DirectoriesAsync(ctx, state, id, sorts: false));
        app.MapGet("/library/sections/{id}/sorts", (HttpContext ctx, string id) => DirectoriesAsync(ctx, state, id, sorts: true));
    }

    /// <summary>Whether the request asks for the <c>Meta</c> block (<c>includeMeta=1</c>).</summary>
    public static bool WantsMeta(HttpRequest request) => PmsHttp.Query(request, "includeMeta") == "1";

    /// <summary>
    /// The <c>Meta</c> block: one <c>Type</c> per listable type of the section (the one listed marked
    /// active) with its <c>Filter</c>, <c>Sort</c> and <c>Field</c> descriptions, then <c>FieldType</c>
    /// with the operators of each field type. Written after the container's attributes.
    /// </summary>
    public static void WriteMeta(PlexWriter w, SectionInfo section, int activeType)
    {
        w.StartObject("Meta");
        w.StartArray("Type");
        foreach (var type in TypesOf(section))
        {
            WriteType(w, section, type, type == activeType);
        }

        w.EndArray();
        w.StartArray("FieldType");
        foreach (var (fieldType, operators) in FieldTypes)
        {
            w.StartItem("FieldType");
            w.Str("type", fieldType);
            w.StartArray("Operator");
            foreach (var (key, title) in operators)
            {
                w.StartItem("Operator");
                w.Str("key", key);
                w.Str("title", title);
                w.EndItem();
            }

            w.EndArray();
            w.EndItem();
        }

        w.EndArray();
        w.EndObject();
    }

    private static int[] TypesOf(SectionInfo section) => section.Type == "movie" ? [1] : [2, 3, 4];

    private static void WriteType(PlexWriter w, SectionInfo section, int type, bool active)
    {
        var name = PlexItem.TypeNameOf(type);
        var prefix = type is 1 or 2 ? string.Empty : name + ".";
        w.StartItem("Type");
        w.Str("key", $"/library/sections/{section.Id}/all?type={type}");
        w.Str("type", name);
        w.Str("title", type switch { 1 => "Movies", 2 => "TV Shows", 3 => "Seasons", _ => "Episodes" });
        w.Bool("active", active);
        w.StartArray("Filter");
        foreach (var (filter, filterType, title) in Filters)
        {
            w.StartItem("Filter");
            w.Str("filter", prefix + filter);
            w.Str("filterType", filterType);
            w.Str("key", $"/library/sections/{section.Id}/{filter}?type={type}");
            w.Str("title", title);
            w.Str("type", "filter");
            w.EndItem();
        }

        w.EndArray();
        w.StartArray("Sort");
        foreach (var (key, title, direction) in Sorts)
        {
            w.StartItem("Sort");
            if (key == "titleSort")
            {
                w.Str("default", "asc");
                w.Str("firstCharacterKey", $"/library/sections/{section.Id}/firstCharacter");
            }

            w.Str("defaultDirection", direction);
            w.Str("descKey", $"{prefix}{key}:desc");
            w.Str("key", prefix + key);
            w.Str("title", title);
            w.EndItem();
        }

        w.EndArray();
        w.StartArray("Field");
        foreach (var (key, title, fieldType) in Fields)
        {
            w.StartItem("Field");
            w.Str("key", prefix + key);
            w.Str("title", title);
            w.Str("type", fieldType);
            w.EndItem();
        }

        w.EndArray();
        w.EndItem();
    }

    private static async Task LibraryRootAsync(HttpContext ctx, PlexState state)
    {
        if (await PmsHttp.AuthAsync(ctx, state) is null)
        {
            return;
        }

        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", 3);
        w.Bool("allowSync", false);
        w.Str("art", "/:/resources/library-art.png");
        w.Str("content", string.Empty);
        w.Str("identifier", "com.plexapp.plugins.library");
        w.Str("mediaTagPrefix", "/system/bundle/media/flags/");
        w.Num("mediaTagVersion", 1_729_000_000);
        w.Str("title1", "Plex Library");
        w.Str("title2", string.Empty);
        w.StartArray("Directory");
        foreach (var (key, title) in new[] { ("sections", "Library Sections"), ("recentlyAdded", "Recently Added Content"), ("onDeck", "On Deck") })
        {
            w.StartItem("Directory");
            w.Str("key", key);
            w.Str("title", title);
            w.EndItem();
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    /// <summary>The simulator has no collections: an empty, correctly paged list (with <c>Meta</c> on request).</summary>
    private static async Task CollectionsAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await Section(ctx, state, id) is not { } section)
        {
            return;
        }

        PmsHttp.Slice(ctx.Response, 0, PmsHttp.Page(ctx.Request));
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", 0);
        w.Num("totalSize", 0);
        w.Num("offset", 0);
        w.Bool("allowSync", false);
        w.Str("identifier", "com.plexapp.plugins.library");
        w.Num("librarySectionID", section.Id);
        w.Str("librarySectionTitle", section.Title);
        w.Str("librarySectionUUID", section.Uuid);
        w.Str("title1", section.Title);
        w.Str("title2", "Collections");
        w.Str("viewGroup", "secondary");
        if (WantsMeta(ctx.Request))
        {
            w.StartObject("Meta");
            w.StartArray("Type");
            w.StartItem("Type");
            w.Str("key", $"/library/sections/{section.Id}/collections");
            w.Str("type", "collection");
            w.Str("title", "Collections");
            w.Bool("active", true);
            w.StartArray("Sort");
            w.StartItem("Sort");
            w.Str("default", "asc");
            w.Str("defaultDirection", "asc");
            w.Str("descKey", "titleSort:desc");
            w.Str("key", "titleSort");
            w.Str("title", "Title");
            w.EndItem();
            w.EndArray();
            w.StartArray("Field");
            w.StartItem("Field");
            w.Str("key", "title");
            w.Str("title", "Title");
            w.Str("type", "string");
            w.EndItem();
            w.EndArray();
            w.EndItem();
            w.EndArray();
            w.EndObject();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    /// <summary><c>/filters</c> and <c>/sorts</c>: the section's main type as <c>Directory[]</c>.</summary>
    private static async Task DirectoriesAsync(HttpContext ctx, PlexState state, string id, bool sorts)
    {
        if (await Section(ctx, state, id) is not { } section)
        {
            return;
        }

        var count = sorts ? Sorts.Length : Filters.Length;
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", count);
        w.Bool("allowSync", false);
        w.Str("art", $"/:/resources/{section.Type}-fanart.jpg");
        w.Str("content", "secondary");
        w.Str("identifier", "com.plexapp.plugins.library");
        w.Str("mediaTagPrefix", "/system/bundle/media/flags/");
        w.Num("mediaTagVersion", 1_729_000_000);
        w.Str("thumb", $"/:/resources/{section.Type}.png");
        w.Str("title1", section.Title);
        w.Str("viewGroup", "secondary");
        w.StartArray("Directory");
        if (sorts)
        {
            foreach (var (key, title, direction) in Sorts)
            {
                w.StartItem("Directory");
                if (key == "titleSort")
                {
                    w.Str("default", "asc");
                    w.Str("firstCharacterKey", $"/library/sections/{section.Id}/firstCharacter");
                }

                w.Str("defaultDirection", direction);
                w.Str("descKey", key + ":desc");
                w.Str("key", key);
                w.Str("title", title);
                w.EndItem();
            }
        }
        else
        {
            foreach (var (filter, filterType, title) in Filters)
            {
                w.StartItem("Directory");
                w.Str("filter", filter);
                w.Str("filterType", filterType);
                w.Str("key", $"/library/sections/{section.Id}/{filter}");
                w.Str("title", title);
                w.Str("type", "filter");
                w.EndItem();
            }
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task<SectionInfo?> Section(HttpContext ctx, PlexState state, string id) =>
        (await PmsEndpoints.SectionAsync(ctx, state, id))?.Section;
}
