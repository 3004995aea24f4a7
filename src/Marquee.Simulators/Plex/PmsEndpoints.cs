using System.Globalization;
using Marquee.Simulators.Plex.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>The Plex Media Server surface (PLEX-API.md sections 3 to 7).</summary>
internal static class PmsEndpoints
{
    private static readonly string[] GetPut = ["GET", "PUT"];
    private static readonly string[] GetPost = ["GET", "POST"];
    private static readonly string[] GetPostPut = ["GET", "POST", "PUT"];

    public static void MapPms(this IEndpointRouteBuilder app, PlexState state, EventStream stream)
    {
        app.MapGet("/identity", ctx => IdentityAsync(ctx, state));
        app.MapGet("/", ctx => RootAsync(ctx, state));
        app.MapGet("/accounts", ctx => AccountsAsync(ctx, state));
        app.MapGet("/devices", ctx => DevicesAsync(ctx, state));
        app.MapSectionMeta(state);
        app.MapGet("/library/sections", ctx => SectionsAsync(ctx, state));
        app.MapGet("/library/sections/all", ctx => SectionsAsync(ctx, state));
        app.MapGet("/library/sections/{id}/all", (HttpContext ctx, string id) => SectionAllAsync(ctx, state, id, leaves: false));
        app.MapPut("/library/sections/{id}/all", (HttpContext ctx, string id) => EditSectionAsync(ctx, state, id));
        app.MapGet("/library/sections/{id}/allLeaves", (HttpContext ctx, string id) => SectionAllAsync(ctx, state, id, leaves: true));
        app.MapGet("/library/sections/{id}/label", (HttpContext ctx, string id) => SectionLabelsAsync(ctx, state, id));
        app.MapPut("/library/sections/{id}/emptyTrash", (HttpContext ctx, string id) => EmptyTrashAsync(ctx, state, id));
        app.MapMethods("/library/sections/{id}/refresh", GetPost, (HttpContext ctx, string id) => RefreshAsync(ctx, state, id));
        app.MapGet("/library/metadata/{ids}", (HttpContext ctx, string ids) => MetadataAsync(ctx, state, ids));
        app.MapPut("/library/metadata/{id}", (HttpContext ctx, string id) => EditItemAsync(ctx, state, id));
        app.MapPut("/library/metadata/{id}/refresh", (HttpContext ctx, string id) => RefreshItemAsync(ctx, state, id));
        app.MapGet("/library/metadata/{id}/children", (HttpContext ctx, string id) => ChildrenAsync(ctx, state, id, allLeaves: false));
        app.MapGet("/library/metadata/{id}/allLeaves", (HttpContext ctx, string id) => ChildrenAsync(ctx, state, id, allLeaves: true));
        app.MapGet("/library/metadata/{id}/users/top", (HttpContext ctx, string id) => UsersTopAsync(ctx, state, id));
        app.MapMethods("/:/scrobble", GetPut, ctx => ScrobbleAsync(ctx, state, played: true));
        app.MapMethods("/:/unscrobble", GetPut, ctx => ScrobbleAsync(ctx, state, played: false));
        app.MapMethods("/:/rate", GetPut, ctx => RateAsync(ctx, state));
        app.MapMethods("/:/progress", GetPostPut, ctx => ProgressAsync(ctx, state));
        app.MapMethods("/:/timeline", GetPostPut, ctx => TimelineAsync(ctx, state));
        app.MapGet("/status/sessions", ctx => SessionsAsync(ctx, state));
        app.MapMethods("/status/sessions/terminate", GetPost, ctx => TerminateAsync(ctx, state));
        app.MapGet("/status/sessions/history/all", ctx => HistoryAsync(ctx, state));
        app.MapDelete("/status/sessions/history/{id}", (HttpContext ctx, string id) => DeleteHistoryAsync(ctx, state, id));
        app.MapGet("/activities", ctx => ActivitiesAsync(ctx, state, stream));
        app.Map("/:/websockets/notifications", ctx => stream.AcceptAsync(ctx));
        app.Map("/:/websocket/notifications", ctx => stream.AcceptAsync(ctx));
        app.MapGet("/:/eventsource/notifications", ctx => stream.EventSourceAsync(ctx));
    }

    private static async Task IdentityAsync(HttpContext ctx, PlexState state)
    {
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", 0);
        w.Bool("claimed", true);
        w.Str("machineIdentifier", state.MachineIdentifier);
        w.Str("version", state.Version);
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task RootAsync(HttpContext ctx, PlexState state)
    {
        if (await PmsHttp.AuthAsync(ctx, state) is null)
        {
            return;
        }

        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", 2);
        w.Bool("allowCameraUpload", true);
        w.Bool("allowChannelAccess", true);
        w.Bool("allowMediaDeletion", true);
        w.Bool("allowSharing", true);
        w.Bool("allowSync", true);
        w.Bool("allowTuners", false);
        w.Bool("backgroundProcessing", true);
        w.Bool("certificate", true);
        w.Bool("companionProxy", true);
        w.Str("countryCode", "usa");
        w.Str("diagnostics", "logs,databases,streaminglogs");
        w.Bool("eventStream", true);
        w.Str("friendlyName", state.Options.ServerName);
        w.Bool("hubSearch", true);
        w.Bool("itemClusters", true);
        w.Num("livetv", 7);
        w.Str("machineIdentifier", state.MachineIdentifier);
        w.Bool("mediaProviders", true);
        w.Bool("multiuser", true);
        w.Num("musicAnalysis", 2);
        w.Bool("myPlex", true);
        w.Str("myPlexMappingState", "mapped");
        w.Str("myPlexSigninState", "ok");
        w.Bool("myPlexSubscription", true);
        w.Str("myPlexUsername", state.Owner.Email);
        w.Num("offlineTranscode", 1);
        w.Str("ownerFeatures", "collections,content_filter,home,hwtranscode,pass,session_kick,sync,trailers,webhooks");
        w.Str("platform", "Linux");
        w.Str("platformVersion", "6.1.0-28-amd64");
        w.Bool("pluginHost", true);
        w.Bool("pushNotifications", false);
        w.Bool("readOnlyLibraries", false);
        w.Num("streamingBrainABRVersion", 3);
        w.Num("streamingBrainVersion", 2);
        w.Bool("sync", true);
        w.Num("transcoderActiveVideoSessions", state.Sessions().Count);
        w.Bool("transcoderAudio", true);
        w.Bool("transcoderLyrics", true);
        w.Bool("transcoderPhoto", true);
        w.Bool("transcoderSubtitles", true);
        w.Bool("transcoderVideo", true);
        w.Str("transcoderVideoBitrates", "64,96,208,320,720,1500,2000,3000,4000,8000,10000,12000,20000");
        w.Str("transcoderVideoQualities", "0,1,2,3,4,5,6,7,8,9,10,11,12");
        w.Str("transcoderVideoResolutions", "128,128,160,240,320,480,768,720,720,1080,1080,1080,1080");
        w.Num("updatedAt", state.Now);
        w.Bool("updater", true);
        w.Str("version", state.Version);
        w.Bool("voiceSearch", true);
        w.StartArray("Directory");
        foreach (var key in new[] { "activities", "library" })
        {
            w.StartItem("Directory");
            w.Num("count", 1);
            w.Str("key", key);
            w.Str("title", key);
            w.EndItem();
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task AccountsAsync(HttpContext ctx, PlexState state)
    {
        if (await PmsHttp.AuthAsync(ctx, state, ownerOnly: true) is null)
        {
            return;
        }

        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", state.Accounts.Count + 1);
        w.Str("identifier", "com.plexapp.system.accounts");
        w.StartArray("Account");
        WriteAccount(w, 0, string.Empty, string.Empty);
        foreach (var account in state.Accounts)
        {
            WriteAccount(w, account.LocalId, account.Name, account.Thumb);
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);

        static void WriteAccount(PlexWriter w, long id, string name, string thumb)
        {
            w.StartItem("Account");
            w.Num("id", id);
            w.Str("key", $"/accounts/{id}");
            w.Str("name", name);
            w.Str("defaultAudioLanguage", "en");
            w.Bool("autoSelectAudio", true);
            w.Str("defaultSubtitleLanguage", "en");
            w.Num("subtitleMode", 0);
            w.Str("thumb", thumb);
            w.EndItem();
        }
    }

    private static async Task DevicesAsync(HttpContext ctx, PlexState state)
    {
        if (await PmsHttp.AuthAsync(ctx, state, ownerOnly: true) is null)
        {
            return;
        }

        var devices = state.Devices();
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", devices.Count);
        w.Str("identifier", "com.plexapp.system.devices");
        w.StartArray("Device");
        foreach (var (clientId, id) in devices.OrderBy(d => d.Value))
        {
            w.StartItem("Device");
            w.Num("id", id);
            w.Str("name", clientId);
            w.Str("platform", "Chrome");
            w.Str("clientIdentifier", clientId);
            w.Num("createdAt", 1_700_000_000);
            w.EndItem();
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task SectionsAsync(HttpContext ctx, PlexState state)
    {
        var account = await PmsHttp.AuthAsync(ctx, state);
        if (account is null)
        {
            return;
        }

        var sections = state.Sections.Where(s => state.CanSee(account, s.Id)).ToList();
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", sections.Count);
        w.Bool("allowSync", false);
        w.Str("title1", "Plex Library");
        w.StartArray("Directory");
        foreach (var s in sections)
        {
            w.StartItem("Directory");
            w.Bool("allowSync", true);
            w.Str("art", $"/:/resources/{s.Type}-fanart.jpg");
            w.Str("composite", $"/library/sections/{s.Id}/composite/1731300000");
            w.Bool("filters", true);
            w.Bool("refreshing", false);
            w.Str("thumb", $"/:/resources/{s.Type}.png");
            w.Str("key", s.Id.ToString(CultureInfo.InvariantCulture));
            w.Str("type", s.Type);
            w.Str("title", s.Title);
            w.Str("agent", s.Agent);
            w.Str("scanner", s.Scanner);
            w.Str("language", "en-US");
            w.Str("uuid", s.Uuid);
            w.Num("updatedAt", 1_731_300_000);
            w.Num("createdAt", 1_690_000_000);
            w.Num("scannedAt", 1_731_300_000);
            w.Bool("content", true);
            w.Bool("directory", true);
            w.Num("contentChangedAt", 2_841_233);
            w.Num("hidden", 0);
            w.StartArray("Location");
            w.StartItem("Location");
            w.Num("id", s.Id * 10);
            w.Str("path", s.Path);
            w.EndItem();
            w.EndArray();
            w.EndItem();
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    internal static async Task<(SimAccount Account, SectionInfo Section)?> SectionAsync(HttpContext ctx, PlexState state, string id, bool ownerOnly = false)
    {
        var account = await PmsHttp.AuthAsync(ctx, state, ownerOnly);
        if (account is null)
        {
            return null;
        }

        var section = int.TryParse(id, CultureInfo.InvariantCulture, out var sid) ? state.Section(sid) : null;
        if (section is null || !state.CanSee(account, section.Id))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return null;
        }

        return (account, section);
    }

    private static ItemType? TypeParam(HttpRequest request, SectionInfo section, out bool bad)
    {
        bad = false;
        var raw = PmsHttp.Query(request, "type");
        if (raw is null)
        {
            return section.Type == "movie" ? ItemType.Movie : ItemType.Show;
        }

        if (!int.TryParse(raw, CultureInfo.InvariantCulture, out var t) || t is < 1 or > 4
            || (section.Type == "movie" && t != 1) || (section.Type == "show" && t == 1))
        {
            bad = true;
            return null;
        }

        return (ItemType)t;
    }

    private static async Task SectionAllAsync(HttpContext ctx, PlexState state, string id, bool leaves)
    {
        if (await SectionAsync(ctx, state, id) is not { } found)
        {
            return;
        }

        var (account, section) = found;
        var type = leaves ? (section.Type == "movie" ? ItemType.Movie : ItemType.Episode) : TypeParam(ctx.Request, section, out var bad);
        if (type is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        var query = MediaQuery.Parse(ctx.Request.QueryString.Value, state.Now);
        if (query.Error is not null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        var items = state.Listing(account, section.Id, type.Value, query);
        var includeGuids = PmsHttp.Query(ctx.Request, "includeGuids") == "1";

        // excludeFields=summary,thumb (PLEX-API.md 1.5): the items' own fields named are left out.
        var excluded = PmsHttp.Query(ctx.Request, "excludeFields") is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : null;
        var (offset, count) = PmsHttp.Slice(ctx.Response, items.Count, PmsHttp.Page(ctx.Request));
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        WriteSectionContainer(w, section);
        w.Str("title2", type switch
        {
            ItemType.Movie => "All Movies",
            ItemType.Show => "All Shows",
            ItemType.Season => "All Seasons",
            _ => "All Episodes",
        });
        w.Str("viewGroup", PlexItem.TypeNameOf((int)type.Value));
        w.Num("viewMode", 65592);
        w.Num("size", count);
        w.Num("totalSize", items.Count);
        w.Num("offset", offset);
        if (SectionMetaEndpoints.WantsMeta(ctx.Request))
        {
            SectionMetaEndpoints.WriteMeta(w, section, (int)type.Value);
        }

        if (count > 0)
        {
            w.StartArray("Metadata");
            for (var i = offset; i < offset + count; i++)
            {
                ItemWriter.Write(w, state, account, items[i], includeGuids ? ItemView.Guids : ItemView.List, excluded);
                await w.MaybeFlushAsync(ctx.RequestAborted);
            }

            w.EndArray();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static void WriteSectionContainer(PlexWriter w, SectionInfo section)
    {
        w.Bool("allowSync", true);
        w.Str("art", $"/:/resources/{section.Type}-fanart.jpg");
        w.Str("identifier", "com.plexapp.plugins.library");
        w.Num("librarySectionID", section.Id);
        w.Str("librarySectionTitle", section.Title);
        w.Str("librarySectionUUID", section.Uuid);
        w.Str("mediaTagPrefix", "/system/bundle/media/flags/");
        w.Num("mediaTagVersion", 1_729_000_000);
        w.Str("thumb", $"/:/resources/{section.Type}.png");
        w.Str("title1", section.Title);
    }

    private static async Task SectionLabelsAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await SectionAsync(ctx, state, id) is not { } found)
        {
            return;
        }

        var labels = state.SectionLabels(found.Section.Id);
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", labels.Count);
        w.Bool("allowSync", false);
        w.Str("art", "/:/resources/movie-fanart.jpg");
        w.Str("mediaTagPrefix", "/system/bundle/media/flags/");
        w.Num("mediaTagVersion", 1_729_000_000);
        w.Str("thumb", "/:/resources/movie.png");
        w.Str("title1", found.Section.Title);
        w.Str("title2", "By Label");
        w.Str("viewGroup", "secondary");
        w.StartArray("Directory");
        foreach (var (labelId, tag) in labels)
        {
            w.StartItem("Directory");
            w.Str("fastKey", $"/library/sections/{found.Section.Id}/all?label={labelId}");
            w.Str("key", labelId.ToString(CultureInfo.InvariantCulture));
            w.Str("title", tag);
            w.EndItem();
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    /// <summary>
    /// Tag edits (PLEX-API.md 5.6): <c>label[0].tag.tag=A</c> replaces, <c>label[].tag.tag-=A,B</c> removes,
    /// <c>label.locked=1</c> locks. The raw query is parsed because brackets may arrive raw or encoded.
    /// </summary>
    private static async Task EditSectionAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await SectionAsync(ctx, state, id, ownerOnly: true) is not { } found)
        {
            return;
        }

        var section = found.Section;
        if (!int.TryParse(PmsHttp.Query(ctx.Request, "type"), CultureInfo.InvariantCulture, out var type) || type is < 1 or > 4)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        List<PlexItem> targets;
        var ids = PmsHttp.Query(ctx.Request, "id");
        if (ids is null)
        {
            targets = state.ItemsOfType(section.Id, (ItemType)type);
        }
        else
        {
            targets = [];
            foreach (var part in ids.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var item = state.Item(part);
                if (item is null || item.SectionId != section.Id || (int)item.Type != type)
                {
                    await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
                    return;
                }

                targets.Add(item);
            }
        }

        if (!await ApplyEditsAsync(ctx, state, targets))
        {
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task EditItemAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await PmsHttp.AuthAsync(ctx, state, ownerOnly: true) is null)
        {
            return;
        }

        var item = state.Item(id);
        if (item is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        await ApplyEditsAsync(ctx, state, [item]);
    }

    private static async Task<bool> ApplyEditsAsync(HttpContext ctx, PlexState state, List<PlexItem> targets)
    {
        SortedDictionary<int, string>? replace = null;
        List<string>? remove = null;
        bool? locked = null;
        string? title = null;
        var raw = ctx.Request.QueryString.Value ?? string.Empty;
        foreach (var pair in raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var rawValue = eq < 0 ? string.Empty : pair[(eq + 1)..];
            if (key.StartsWith("label[", StringComparison.Ordinal))
            {
                var close = key.IndexOf(']', StringComparison.Ordinal);
                var index = key[6..close];
                var rest = key[(close + 1)..];
                if (index.Length == 0 && rest == ".tag.tag-")
                {
                    remove = RemovedTags(rawValue);
                }
                else if (index.Length == 0 && rest == ".tag")
                {
                    remove = [];
                }
                else if (rest == ".tag.tag" && int.TryParse(index, CultureInfo.InvariantCulture, out var i))
                {
                    replace ??= [];
                    replace[i] = Uri.UnescapeDataString(rawValue.Replace('+', ' '));
                }
                else
                {
                    await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
                    return false;
                }
            }
            else if (key == "label.locked")
            {
                locked = rawValue == "1";
            }
            else if (key == "title.value")
            {
                title = Uri.UnescapeDataString(rawValue.Replace('+', ' '));
            }
        }

        state.EditLabels(targets, replace?.Values.ToList(), remove, locked, title);
        return true;
    }

    /// <summary>
    /// The values of <c>label[].tag.tag-</c>: comma-separated, each value URL-encoded on its own. Clients
    /// encode the whole value once more, so the commas arrive as <c>%2C</c> (python-plexapi and its ports:
    /// <c>a%2Cb</c>, a label with a comma as <c>x%252Cy</c>); a raw comma separates values as well.
    /// </summary>
    private static List<string> RemovedTags(string rawValue)
    {
        static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
        if (rawValue.Contains(',', StringComparison.Ordinal))
        {
            return [.. rawValue.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Decode)];
        }

        return [.. Decode(rawValue).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Decode)];
    }

    private static async Task EmptyTrashAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await SectionAsync(ctx, state, id, ownerOnly: true) is not { } found)
        {
            return;
        }

        state.EmptyTrash(found.Section.Id);
    }

    private static async Task RefreshAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await SectionAsync(ctx, state, id, ownerOnly: true) is not { } found)
        {
            return;
        }

        // Returns at once; the scan runs in the background like PMS.
        var uuid = Guid.NewGuid().ToString();
        var section = found.Section;
        var context = new Dictionary<string, object> { ["librarySectionID"] = section.Id.ToString(CultureInfo.InvariantCulture) };
        _ = Task.Run(async () =>
        {
            var title = $"Scanning {section.Title}";
            state.Raise(new ActivityEvent("started", uuid, "library.update.section", title, 0, context));
            state.Raise(new StatusEvent($"Scanning the \"{section.Title}\" section", "LIBRARY_UPDATE"));
            await Task.Delay(20);
            state.Raise(new ActivityEvent("updated", uuid, "library.update.section", title, 50, context));
            await Task.Delay(20);
            state.Raise(new ActivityEvent("ended", uuid, "library.update.section", title, 100, context));
            state.Raise(new StatusEvent("Library scan complete", "LIBRARY_UPDATE"));
        });
    }

    private static async Task RefreshItemAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await PmsHttp.AuthAsync(ctx, state, ownerOnly: true) is null)
        {
            return;
        }

        var item = state.Item(id);
        if (item is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        var uuid = Guid.NewGuid().ToString();
        state.Refresh(item);
        var started = new Dictionary<string, object> { ["key"] = item.Key };
        var ended = new Dictionary<string, object> { ["accessible"] = true, ["analyzed"] = false, ["exists"] = true, ["key"] = item.Key, ["refreshed"] = true };
        _ = Task.Run(async () =>
        {
            state.Raise(new ActivityEvent("started", uuid, "library.refresh.items", "Refreshing", 0, started));
            await Task.Delay(20);
            state.Raise(new LibraryItemEvent(item, 5, null));
            state.Raise(new ActivityEvent("ended", uuid, "library.refresh.items", "Refreshing", 100, ended));
        });
    }

    private static async Task MetadataAsync(HttpContext ctx, PlexState state, string ids)
    {
        var account = await PmsHttp.AuthAsync(ctx, state);
        if (account is null)
        {
            return;
        }

        var items = new List<PlexItem>();
        foreach (var part in ids.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var item = state.Item(part);
            if (item is not null && state.CanSee(account, item.SectionId))
            {
                items.Add(item);
            }
        }

        if (items.Count == 0)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        var section = state.Section(items[0].SectionId)!;
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", items.Count);
        w.Bool("allowSync", true);
        w.Str("identifier", "com.plexapp.plugins.library");
        w.Num("librarySectionID", section.Id);
        w.Str("librarySectionTitle", section.Title);
        w.Str("librarySectionUUID", section.Uuid);
        w.Str("mediaTagPrefix", "/system/bundle/media/flags/");
        w.Num("mediaTagVersion", 1_729_000_000);
        w.StartArray("Metadata");
        foreach (var item in items)
        {
            ItemWriter.Write(w, state, account, item, ItemView.Detail | ItemView.SectionOnItem);
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task ChildrenAsync(HttpContext ctx, PlexState state, string id, bool allLeaves)
    {
        var account = await PmsHttp.AuthAsync(ctx, state);
        if (account is null)
        {
            return;
        }

        var item = state.Item(id);
        if (item is null || !state.CanSee(account, item.SectionId))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        List<PlexItem> children;
        lock (state.Gate)
        {
            children = allLeaves ? [.. item.Leaves()] : [.. (item.Children ?? []).Where(c => !c.Deleted)];
        }

        var (offset, count) = PmsHttp.Slice(ctx.Response, children.Count, PmsHttp.Page(ctx.Request));
        var section = state.Section(item.SectionId)!;
        var show = item.Type == ItemType.Show ? item : item.Show;
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", count);
        if (PmsHttp.HasPaging(ctx.Request))
        {
            w.Num("totalSize", children.Count);
            w.Num("offset", offset);
        }

        w.Bool("allowSync", true);
        w.Str("art", $"/library/metadata/{(show ?? item).RatingKey}/art/{item.UpdatedAt}");
        w.Str("identifier", "com.plexapp.plugins.library");
        w.Str("key", item.RatingKey.ToString(CultureInfo.InvariantCulture));
        w.Num("librarySectionID", section.Id);
        w.Str("librarySectionTitle", section.Title);
        w.Str("librarySectionUUID", section.Uuid);
        w.Str("mediaTagPrefix", "/system/bundle/media/flags/");
        w.Num("mediaTagVersion", 1_729_000_000);
        w.Bool("nocache", true);
        w.Num("parentIndex", item.Type == ItemType.Season ? item.Index : 1);
        w.Str("parentTitle", (show ?? item).Title);
        w.Num("parentYear", (show ?? item).Year);
        w.Str("thumb", $"/library/metadata/{item.RatingKey}/thumb/{item.UpdatedAt}");
        w.Str("title1", section.Title);
        w.Str("title2", item.Title);
        w.Str("viewGroup", allLeaves || item.Type == ItemType.Season ? "episode" : "season");
        w.Num("viewMode", allLeaves || item.Type == ItemType.Season ? 65592 : 65593);
        if (count > 0)
        {
            w.StartArray("Metadata");
            for (var i = offset; i < offset + count; i++)
            {
                ItemWriter.Write(w, state, account, children[i], ItemView.Guids);
                await w.MaybeFlushAsync(ctx.RequestAborted);
            }

            w.EndArray();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task UsersTopAsync(HttpContext ctx, PlexState state, string id)
    {
        if (await PmsHttp.AuthAsync(ctx, state, ownerOnly: true) is null)
        {
            return;
        }

        var item = state.Item(id);
        if (item is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        var rows = new List<(SimAccount Account, int Views)>();
        foreach (var account in state.Accounts)
        {
            var views = state.Aggregate(account, item).ViewCount;
            if (views > 0)
            {
                rows.Add((account, views));
            }
        }

        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", rows.Count);
        w.StartArray("Account");
        foreach (var (account, views) in rows.OrderByDescending(r => r.Views))
        {
            w.StartItem("Account");
            w.Num("id", account.LocalId);
            w.Str("key", $"/accounts/{account.LocalId}");
            w.Str("name", account.Name);
            w.Str("thumb", account.Thumb);
            w.Num("globalViewCount", views);
            w.EndItem();
        }

        w.EndArray();
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task<(SimAccount Account, PlexItem Item)?> WriteTargetAsync(HttpContext ctx, PlexState state, string keyParam = "key")
    {
        var account = await PmsHttp.AuthAsync(ctx, state);
        if (account is null)
        {
            return null;
        }

        var key = PmsHttp.Query(ctx.Request, keyParam);
        var identifier = PmsHttp.Query(ctx.Request, "identifier");
        if (key is null || identifier is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return null;
        }

        var item = identifier == "com.plexapp.plugins.library" ? state.Item(key) : null;
        if (item is null || !state.CanSee(account, item.SectionId))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return null;
        }

        return (account, item);
    }

    private static async Task ScrobbleAsync(HttpContext ctx, PlexState state, bool played)
    {
        if (await WriteTargetAsync(ctx, state) is not { } target)
        {
            return;
        }

        if (played)
        {
            state.Scrobble(target.Account, target.Item);
        }
        else
        {
            state.Unscrobble(target.Account, target.Item);
        }
    }

    private static async Task RateAsync(HttpContext ctx, PlexState state)
    {
        if (await WriteTargetAsync(ctx, state) is not { } target)
        {
            return;
        }

        if (!double.TryParse(PmsHttp.Query(ctx.Request, "rating"), NumberStyles.Float, CultureInfo.InvariantCulture, out var rating)
            || (rating != -1 && rating is < 0 or > 10))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        var ratedAt = state.Now;
        var ratedAtRaw = PmsHttp.Query(ctx.Request, "ratedAt");
        if (ratedAtRaw is not null)
        {
            if (!long.TryParse(ratedAtRaw, CultureInfo.InvariantCulture, out ratedAt) || ratedAt > state.Now)
            {
                await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
                return;
            }
        }

        // -1 clears (python-plexapi); 0 clears too on recent servers (PLEX-API.md 5.3).
        state.Rate(target.Account, target.Item, rating > 0 ? rating : null, ratedAt, PmsHttp.Param(ctx.Request, "X-Plex-Client-Identifier"));
    }

    private static async Task ProgressAsync(HttpContext ctx, PlexState state)
    {
        if (await WriteTargetAsync(ctx, state) is not { } target)
        {
            return;
        }

        if (!long.TryParse(PmsHttp.Query(ctx.Request, "time"), CultureInfo.InvariantCulture, out var time))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        // Reported not to apply for non-owner tokens (PLEX-API.md 5.5).
        if (target.Account.IsOwner)
        {
            state.SetProgress(target.Account, target.Item, time);
        }
    }

    private static async Task TimelineAsync(HttpContext ctx, PlexState state)
    {
        if (await WriteTargetAsync(ctx, state, "ratingKey") is not { } target)
        {
            return;
        }

        var clientId = PmsHttp.Param(ctx.Request, "X-Plex-Client-Identifier");
        var stateName = PmsHttp.Query(ctx.Request, "state");
        var hasTime = long.TryParse(PmsHttp.Query(ctx.Request, "time"), CultureInfo.InvariantCulture, out var time);
        var hasDuration = long.TryParse(PmsHttp.Query(ctx.Request, "duration"), CultureInfo.InvariantCulture, out var duration);
        if (stateName is not ("playing" or "paused" or "buffering" or "stopped") || !hasTime)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }

        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", 0);

        // Without a duration and a client id PMS answers but ignores the update (PLEX-API.md 5.4).
        if (hasDuration && duration > 0 && clientId is not null)
        {
            var result = state.Timeline(target.Account, clientId, target.Item, stateName, time, duration, PmsHttp.Param(ctx.Request, "X-Plex-Product"));
            if (result.TerminationText is not null)
            {
                w.Num("terminationCode", 2006);
                w.Str("terminationText", result.TerminationText);
            }
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task SessionsAsync(HttpContext ctx, PlexState state)
    {
        if (await PmsHttp.AuthAsync(ctx, state, ownerOnly: true) is null)
        {
            return;
        }

        var sessions = state.Sessions();
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", sessions.Count);
        if (sessions.Count > 0)
        {
            w.StartArray("Metadata");
            foreach (var session in sessions)
            {
                WriteSession(w, state, session);
            }

            w.EndArray();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static void WriteSession(PlexWriter w, PlexState state, PlaySession session)
    {
        var item = session.Item;
        var section = state.Section(item.SectionId)!;
        var show = item.Show;
        var season = item.Type == ItemType.Episode ? item.Parent : null;
        w.StartItem(ItemWriter.XmlName(item));
        w.Num("addedAt", item.AddedAt);
        w.Str("art", $"/library/metadata/{(show ?? item).RatingKey}/art/{item.UpdatedAt}");
        w.Num("duration", item.Duration);
        if (show is not null && season is not null)
        {
            w.Str("grandparentGuid", show.PrimaryGuid);
            w.Str("grandparentKey", $"/library/metadata/{show.RatingKey}");
            w.NumStr("grandparentRatingKey", show.RatingKey);
            w.Str("grandparentThumb", $"/library/metadata/{show.RatingKey}/thumb/{show.UpdatedAt}");
            w.Str("grandparentTitle", show.Title);
        }

        w.Str("guid", item.PrimaryGuid);
        if (item.Type == ItemType.Episode)
        {
            w.Num("index", item.Index);
        }

        w.Str("key", item.Key);
        w.NumStr("librarySectionID", section.Id);
        w.Str("librarySectionKey", $"/library/sections/{section.Id}");
        w.Str("librarySectionTitle", section.Title);
        if (season is not null)
        {
            w.Str("parentGuid", season.PrimaryGuid);
            w.Num("parentIndex", season.Index);
            w.Str("parentKey", $"/library/metadata/{season.RatingKey}");
            w.NumStr("parentRatingKey", season.RatingKey);
            w.Str("parentThumb", $"/library/metadata/{season.RatingKey}/thumb/{season.UpdatedAt}");
            w.Str("parentTitle", season.Title);
        }

        w.NumStr("ratingKey", item.RatingKey);
        w.Str("sessionKey", session.SessionKey);
        w.Str("thumb", $"/library/metadata/{item.RatingKey}/thumb/{item.UpdatedAt}");
        w.Str("title", item.Title);
        w.Str("type", item.TypeName);
        w.Num("updatedAt", item.UpdatedAt);
        w.Num("viewOffset", session.ViewOffset);
        if (item.Year != 0)
        {
            w.Num("year", item.Year);
        }

        ItemWriter.WriteChildren(w, state, item, ItemView.List, session.VideoDecision == "transcode" ? "transcode" : session.VideoDecision == "copy" || session.AudioDecision == "transcode" ? "copy" : "directplay");
        w.StartObject("User");
        w.NumStr("id", session.Account.LocalId);
        w.Str("thumb", session.Account.Thumb);
        w.Str("title", session.Account.Name);
        w.EndObject();
        var local = session.Location != "wan";
        w.StartObject("Player");
        w.Str("address", session.Address);
        w.Str("machineIdentifier", session.ClientIdentifier);
        w.Str("model", string.Empty);
        w.Str("platform", session.Platform);
        w.Str("platformVersion", "130.0");
        w.Str("product", session.Product);
        w.Str("profile", "Web");
        w.Str("remotePublicAddress", session.Address);
        w.Str("state", session.State);
        w.Str("title", session.DeviceName);
        w.Str("vendor", string.Empty);
        w.Str("version", "4.145.1");
        w.Bool("local", local);
        w.Bool("relayed", false);
        w.Bool("secure", !local);
        w.Num("userID", session.Account.LocalId);
        w.EndObject();
        w.StartObject("Session");
        w.Str("id", session.SessionId);
        w.Num("bandwidth", session.Bandwidth);
        w.Str("location", session.Location);
        w.EndObject();
        if (session.Transcoding)
        {
            var height = session.OutputHeight > 0 ? session.OutputHeight : item.VideoHeight;
            w.StartObject("TranscodeSession");
            w.Str("key", $"/transcode/sessions/{session.SessionId}");
            w.Bool("throttled", false);
            w.Bool("complete", false);
            w.Num("progress", 1);
            w.Num("speed", 1);
            w.Num("duration", item.Duration);
            w.Str("context", "streaming");
            w.Str("sourceVideoCodec", "hevc");
            w.Str("sourceAudioCodec", "eac3");
            w.Str("videoDecision", session.VideoDecision);
            w.Str("audioDecision", session.AudioDecision);
            w.Str("protocol", "dash");
            w.Str("container", "mp4");
            w.Str("videoCodec", session.VideoDecision == "transcode" ? "h264" : "hevc");
            w.Str("audioCodec", session.AudioDecision == "transcode" ? "aac" : "eac3");
            w.Num("audioChannels", session.AudioDecision == "transcode" ? 2 : 6);
            w.Num("width", height * 16 / 9);
            w.Num("height", height);
            w.Bool("transcodeHwRequested", false);
            w.EndObject();
        }

        w.EndItem();
    }

    private static async Task TerminateAsync(HttpContext ctx, PlexState state)
    {
        if (await PmsHttp.AuthAsync(ctx, state, ownerOnly: true) is null)
        {
            return;
        }

        var sessionId = PmsHttp.Query(ctx.Request, "sessionId");
        if (sessionId is null)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status403Forbidden);
            return;
        }

        if (!state.Terminate(sessionId, PmsHttp.Query(ctx.Request, "reason") ?? "Your session was terminated."))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
        }
    }

    private static async Task HistoryAsync(HttpContext ctx, PlexState state)
    {
        var account = await PmsHttp.AuthAsync(ctx, state);
        if (account is null)
        {
            return;
        }

        IEnumerable<HistoryRow> rows = state.History();
        if (!account.IsOwner)
        {
            rows = rows.Where(r => r.AccountId == account.LocalId);
        }

        string? sort = null;
        var raw = ctx.Request.QueryString.Value ?? string.Empty;
        foreach (var pair in raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            var number = long.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
            switch (key)
            {
                case "sort":
                    sort = value;
                    break;
                case "accountID" when number is { } a:
                    rows = rows.Where(r => r.AccountId == a);
                    break;
                case "viewedAt>" when number is { } v:
                    rows = rows.Where(r => r.ViewedAt >= v);
                    break;
                case "viewedAt<" when number is { } v:
                    rows = rows.Where(r => r.ViewedAt <= v);
                    break;
                case "viewedAt>>" when number is { } v:
                    rows = rows.Where(r => r.ViewedAt > v);
                    break;
                case "viewedAt<<" when number is { } v:
                    rows = rows.Where(r => r.ViewedAt < v);
                    break;
                case "librarySectionID" when number is { } s:
                    rows = rows.Where(r => state.Item((int)r.RatingKey)?.SectionId == s);
                    break;
                case "metadataItemID":
                    {
                        var target = state.Item(value);
                        HashSet<int> keys;
                        lock (state.Gate)
                        {
                            keys = target is null ? [] : [.. target.Leaves().Select(l => l.RatingKey)];
                        }

                        rows = rows.Where(r => keys.Contains(r.RatingKey));
                        break;
                    }

                default:
                    break;
            }
        }

        var list = rows.ToList();
        var desc = sort is not null && sort.Contains(":desc", StringComparison.Ordinal);
        list.Sort((a, b) => desc ? b.ViewedAt.CompareTo(a.ViewedAt) != 0 ? b.ViewedAt.CompareTo(a.ViewedAt) : b.Id.CompareTo(a.Id) : a.ViewedAt.CompareTo(b.ViewedAt) != 0 ? a.ViewedAt.CompareTo(b.ViewedAt) : a.Id.CompareTo(b.Id));
        var (offset, count) = PmsHttp.Slice(ctx.Response, list.Count, PmsHttp.Page(ctx.Request));
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", count);
        w.Num("totalSize", list.Count);
        w.Num("offset", offset);
        if (count > 0)
        {
            w.StartArray("Metadata");
            for (var i = offset; i < offset + count; i++)
            {
                WriteHistoryRow(w, state, list[i]);
                await w.MaybeFlushAsync(ctx.RequestAborted);
            }

            w.EndArray();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static void WriteHistoryRow(PlexWriter w, PlexState state, HistoryRow row)
    {
        var item = state.Item(row.RatingKey);
        w.StartItem(item is null || item.IsLeaf ? "Video" : "Directory");
        w.Str("historyKey", $"/status/sessions/history/{row.Id}");
        if (item is not null)
        {
            w.Str("key", item.Key);
            w.NumStr("ratingKey", item.RatingKey);
            w.NumStr("librarySectionID", item.SectionId);
            var season = item.Type == ItemType.Episode ? item.Parent : null;
            var show = item.Show;
            if (season is not null && show is not null)
            {
                w.Str("parentKey", $"/library/metadata/{season.RatingKey}");
                w.Str("grandparentKey", $"/library/metadata/{show.RatingKey}");
            }

            w.Str("title", item.Title);
            if (show is not null)
            {
                w.Str("grandparentTitle", show.Title);
            }

            w.Str("type", item.TypeName);
            w.Str("thumb", $"/library/metadata/{item.RatingKey}/thumb/{item.UpdatedAt}");
            if (season is not null && show is not null)
            {
                w.Str("parentThumb", $"/library/metadata/{season.RatingKey}/thumb/{season.UpdatedAt}");
                w.Str("grandparentThumb", $"/library/metadata/{show.RatingKey}/thumb/{show.UpdatedAt}");
                w.Str("grandparentArt", $"/library/metadata/{show.RatingKey}/art/{show.UpdatedAt}");
                w.Num("index", item.Index);
                w.Num("parentIndex", season.Index);
            }

            w.StrIf("originallyAvailableAt", item.OriginallyAvailableAt);
        }

        w.Num("viewedAt", row.ViewedAt);
        w.Num("accountID", row.AccountId);
        w.Num("deviceID", row.DeviceId);
        w.EndItem();
    }

    private static async Task DeleteHistoryAsync(HttpContext ctx, PlexState state, string id)
    {
        var account = await PmsHttp.AuthAsync(ctx, state);
        if (account is null)
        {
            return;
        }

        if (!long.TryParse(id, CultureInfo.InvariantCulture, out var historyId) || !state.DeleteHistory(historyId, account))
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        // The official description documents a MediaContainer body here (PLEX-API.md 7.2 leaves it open).
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", 0);
        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task ActivitiesAsync(HttpContext ctx, PlexState state, EventStream stream)
    {
        if (await PmsHttp.AuthAsync(ctx, state) is null)
        {
            return;
        }

        var activities = stream.RunningActivities();
        await using var w = PlexWriter.Create(ctx);
        w.StartContainer();
        w.Num("size", activities.Count);
        if (activities.Count > 0)
        {
            w.StartArray("Activity");
            foreach (var a in activities)
            {
                w.StartItem("Activity");
                w.Str("uuid", a.Uuid);
                w.Str("type", a.Type);
                w.Bool("cancellable", false);
                w.Num("userID", 1);
                w.Str("title", a.Title);
                w.Str("subtitle", string.Empty);
                w.Num("progress", a.Progress);
                w.EndItem();
            }

            w.EndArray();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }
}
