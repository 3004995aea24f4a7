using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marquee.Simulators.Plex;

/// <summary>A plex.tv PIN of the login flow (PLEX-API.md 2.1, 2.2).</summary>
public sealed class SimPin
{
    public required int Id { get; init; }

    public required string Code { get; init; }

    public required string ClientIdentifier { get; init; }

    public required string Product { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string? AuthToken { get; set; }
}

/// <summary>The plex.tv surface (PLEX-API.md 2): PINs, user, resources, home users, friends, webhooks.</summary>
internal static class PlexTvEndpoints
{
    public static void MapPlexTv(this IEndpointRouteBuilder app, PlexState state, PinStore pins, Func<Uri> pmsUri)
    {
        app.MapPost("/api/v2/pins", ctx => CreatePinAsync(ctx, state, pins));
        app.MapGet("/api/v2/pins/{id}", (HttpContext ctx, string id) => PollPinAsync(ctx, state, pins, id));
        app.MapGet("/api/v2/user", ctx => UserAsync(ctx, state));
        app.MapGet("/api/v2/ping", async ctx =>
        {
            if (await V2AuthAsync(ctx, state) is not null)
            {
                await ctx.Response.WriteAsJsonAsync(new { pong = true }, ctx.RequestAborted);
            }
        });
        app.MapGet("/api/v2/resources", ctx => ResourcesAsync(ctx, state, pmsUri()));
        app.MapGet("/api/v2/home/users", ctx => HomeUsersAsync(ctx, state));
        app.MapPost("/api/v2/home/users/{uuid}/switch", (HttpContext ctx, string uuid) => SwitchAsync(ctx, state, uuid, legacy: false));
        app.MapPost("/api/home/users/{id}/switch", (HttpContext ctx, string id) => SwitchAsync(ctx, state, id, legacy: true));
        app.MapGet("/api/users", ctx => UsersV1Async(ctx, state));
        app.MapGet("/api/servers/{machineId}/shared_servers", (HttpContext ctx, string machineId) => SharedServersAsync(ctx, state, machineId));
        app.MapMethods("/api/v2/user/view_state_sync", ["GET", "PUT"], async ctx =>
        {
            if (await V2AuthAsync(ctx, state) is not null)
            {
                await ctx.Response.WriteAsJsonAsync(new { consent = true }, ctx.RequestAborted);
            }
        });
        app.MapMethods("/api/v2/user/webhooks", ["GET", "POST"], ctx => WebhooksAsync(ctx, state));
    }

    public static Task ErrorAsync(HttpContext ctx, int status, int code, string message)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new { errors = new[] { new { code, message, status } } }, ctx.RequestAborted);
    }

    private static async Task<SimAccount?> V2AuthAsync(HttpContext ctx, PlexState state)
    {
        if (PmsHttp.Param(ctx.Request, "X-Plex-Client-Identifier") is null)
        {
            await ErrorAsync(ctx, 400, 1000, "X-Plex-Client-Identifier is missing");
            return null;
        }

        var account = state.AccountByToken(PmsHttp.Token(ctx.Request));
        if (account is null)
        {
            await ErrorAsync(ctx, 401, 1001, "User could not be authenticated");
        }

        return account;
    }

    private static async Task CreatePinAsync(HttpContext ctx, PlexState state, PinStore pins)
    {
        var clientId = PmsHttp.Param(ctx.Request, "X-Plex-Client-Identifier");
        var product = PmsHttp.Param(ctx.Request, "X-Plex-Product");
        if (clientId is null)
        {
            await ErrorAsync(ctx, 400, 1000, "X-Plex-Client-Identifier is missing");
            return;
        }

        if (product is null)
        {
            await ErrorAsync(ctx, 400, 1000, "X-Plex-Product is missing");
            return;
        }

        var strong = PmsHttp.Query(ctx.Request, "strong") is "true" or "1";
        var pin = pins.Create(clientId, product, strong, state.Clock.GetUtcNow(), state.Options.PinLifetime);
        ctx.Response.StatusCode = StatusCodes.Status201Created;
        await WritePinAsync(ctx, state, pin);
    }

    private static async Task PollPinAsync(HttpContext ctx, PlexState state, PinStore pins, string id)
    {
        var clientId = PmsHttp.Param(ctx.Request, "X-Plex-Client-Identifier");
        if (clientId is null)
        {
            await ErrorAsync(ctx, 400, 1000, "X-Plex-Client-Identifier is missing");
            return;
        }

        var pin = int.TryParse(id, CultureInfo.InvariantCulture, out var pinId) ? pins.Get(pinId) : null;

        // A PIN's token is bound to the client id that created it.
        if (pin is null || pin.ExpiresAt <= state.Clock.GetUtcNow() || pin.ClientIdentifier != clientId)
        {
            await ErrorAsync(ctx, 404, 1020, "Code not found or expired");
            return;
        }

        await WritePinAsync(ctx, state, pin);
    }

    private static async Task WritePinAsync(HttpContext ctx, PlexState state, SimPin pin)
    {
        var now = state.Clock.GetUtcNow();
        await using var w = new JsonPlexWriter(ctx.Response);
        w.StartBareObject();
        w.Num("id", pin.Id);
        w.Str("code", pin.Code);
        w.Str("product", pin.Product);
        w.Bool("trusted", false);
        w.Str("qr", $"https://plex.tv/api/v2/pins/qr/{pin.Code}");
        w.Str("clientIdentifier", pin.ClientIdentifier);
        w.StartObject("location");
        w.Str("code", "US");
        w.Bool("european_union_member", false);
        w.Str("continent_code", "NA");
        w.Str("country", "United States");
        w.Str("city", "Portland");
        w.Str("time_zone", "America/Los_Angeles");
        w.Str("postal_code", "97201");
        w.Bool("in_privacy_restricted_country", false);
        w.Bool("in_privacy_restricted_region", false);
        w.Str("subdivisions", "Oregon");
        w.Str("coordinates", "45.5155, -122.6789");
        w.EndObject();
        w.Num("expiresIn", (long)Math.Max(0, (pin.ExpiresAt - now).TotalSeconds));
        w.Str("createdAt", Iso(pin.CreatedAt));
        w.Str("expiresAt", Iso(pin.ExpiresAt));
        w.Str("authToken", pin.AuthToken);
        if (pin.AuthToken is null)
        {
            w.Null("newRegistration");
        }
        else
        {
            w.Bool("newRegistration", false);
        }

        w.EndBareObject();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static async Task UserAsync(HttpContext ctx, PlexState state)
    {
        if (await V2AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        var homeSize = state.Accounts.Count(a => a.Kind != SimAccountKind.Friend);
        await using var w = new JsonPlexWriter(ctx.Response);
        w.StartBareObject();
        w.Num("id", account.PlexTvId);
        w.Str("uuid", account.Uuid);
        WriteNullable(w, "username", account.IsManaged ? null : account.Name);
        w.Str("title", account.Name);
        WriteNullable(w, "email", account.IsManaged ? null : account.Email);
        w.Str("friendlyName", account.Name);
        w.Null("locale");
        w.Bool("confirmed", true);
        w.Num("joinedAt", 1_500_000_000);
        w.Bool("emailOnlyAuth", false);
        w.Bool("hasPassword", !account.IsManaged);
        w.Bool("protected", account.Pin is not null);
        w.Str("thumb", account.Thumb);
        w.Str("authToken", account.AccountToken);
        w.Str("mailingListStatus", "unsubscribed");
        w.Bool("mailingListActive", false);
        w.Str("scrobbleTypes", string.Empty);
        w.Str("country", "US");
        w.StartObject("subscription");
        w.Bool("active", account.IsOwner);
        w.Str("subscribedAt", account.IsOwner ? "2019-05-01T00:00:00Z" : null);
        w.Str("status", account.IsOwner ? "Active" : "Inactive");
        w.Str("paymentService", account.IsOwner ? "braintree" : null);
        w.Str("plan", account.IsOwner ? "lifetime" : null);
        w.StartArray("features");
        w.EndArray();
        w.EndObject();
        w.Null("subscriptionDescription");
        w.Null("anonymous");
        w.Num("rememberExpiresAt", state.Now + 31_536_000);
        w.StartObject("profile");
        w.Bool("autoSelectAudio", true);
        w.Str("defaultAudioLanguage", "en");
        w.Str("defaultSubtitleLanguage", "en");
        w.Num("autoSelectSubtitle", 0);
        w.Num("defaultSubtitleAccessibility", 0);
        w.Num("defaultSubtitleForced", 0);
        w.Num("watchedIndicator", 1);
        w.Num("mediaReviewsVisibility", 0);
        w.EndObject();
        w.StartArray("entitlements");
        w.EndArray();
        w.StartArray("roles");
        w.EndArray();
        w.StartArray("services");
        w.EndArray();
        w.Null("adsConsent");
        w.Null("adsConsentSetAt");
        w.Null("adsConsentReminderAt");
        w.Bool("experimentalFeatures", false);
        w.Bool("twoFactorEnabled", false);
        w.Bool("backupCodesCreated", false);
        w.Bool("restricted", account.IsManaged);
        w.Bool("home", account.Kind != SimAccountKind.Friend);
        w.Bool("guest", false);
        w.Num("homeSize", account.Kind != SimAccountKind.Friend ? homeSize : 1);
        w.Bool("homeAdmin", account.IsOwner);
        w.Num("maxHomeSize", 15);
        w.EndBareObject();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static void WriteNullable(JsonPlexWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.Null(name);
        }
        else
        {
            w.Str(name, value);
        }
    }

    private static async Task ResourcesAsync(HttpContext ctx, PlexState state, Uri pms)
    {
        if (await V2AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        await using var w = new JsonPlexWriter(ctx.Response);
        w.StartBareArray();
        w.StartItem("Device");
        w.Str("name", state.Options.ServerName);
        w.Str("product", "Plex Media Server");
        w.Str("productVersion", state.Version);
        w.Str("platform", "Linux");
        w.Str("platformVersion", "6.1.0-28-amd64");
        w.Str("device", "PC");
        w.Str("clientIdentifier", state.MachineIdentifier);
        w.Str("createdAt", "2023-07-22T04:26:40Z");
        w.Str("lastSeenAt", Iso(state.Clock.GetUtcNow()));
        w.Str("provides", "server");
        if (account.Kind == SimAccountKind.Friend)
        {
            w.Num("ownerId", state.Owner.PlexTvId);
            w.Str("sourceTitle", state.Owner.Name);
        }
        else
        {
            w.Null("ownerId");
            w.Null("sourceTitle");
        }

        w.Str("publicAddress", pms.Host);
        w.Str("accessToken", account.ServerToken);
        w.Bool("owned", account.IsOwner);
        w.Bool("home", account.Kind == SimAccountKind.Home);
        w.Bool("synced", false);
        w.Bool("relay", false);
        w.Bool("presence", true);
        w.Bool("httpsRequired", false);
        w.Bool("publicAddressMatches", true);
        w.Bool("dnsRebindingProtection", false);
        w.Bool("natLoopbackSupported", true);
        w.StartArray("connections");
        w.StartItem("Connection");
        w.Str("protocol", pms.Scheme);
        w.Str("address", pms.Host);
        w.Num("port", pms.Port);
        w.Str("uri", pms.GetLeftPart(UriPartial.Authority));
        w.Bool("local", true);
        w.Bool("relay", false);
        w.Bool("IPv6", false);
        w.EndItem();
        w.EndArray();
        w.EndItem();
        w.EndBareArray();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task HomeUsersAsync(HttpContext ctx, PlexState state)
    {
        if (await V2AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        if (account.Kind == SimAccountKind.Friend)
        {
            await ErrorAsync(ctx, 403, 1002, "Not a member of a Plex Home");
            return;
        }

        await using var w = new JsonPlexWriter(ctx.Response);
        w.StartBareObject();
        w.Num("id", 1_841_489);
        w.Str("name", $"{state.Owner.Name}'s home");
        w.Num("guestUserID", 58_815_432);
        w.Str("guestUserUUID", "f3df4e01bfca0787");
        w.Bool("guestEnabled", false);
        w.Bool("subscription", true);
        w.StartArray("users");
        foreach (var member in state.Accounts.Where(a => a.Kind != SimAccountKind.Friend))
        {
            w.StartItem("User");
            w.Num("id", member.PlexTvId);
            w.Str("uuid", member.Uuid);
            w.Str("title", member.Name);
            WriteNullable(w, "username", member.IsManaged ? null : member.Name);
            WriteNullable(w, "email", member.IsManaged ? null : member.Email);
            w.Str("friendlyName", member.Name);
            w.Str("thumb", member.Thumb);
            w.Bool("hasPassword", !member.IsManaged);
            w.Bool("restricted", member.IsManaged);
            w.Num("updatedAt", 1_729_000_000);
            WriteNullable(w, "restrictionProfile", member.IsManaged ? "older_kid" : null);
            w.Bool("admin", member.IsOwner);
            w.Bool("guest", false);
            w.Bool("protected", member.Pin is not null);
            w.EndItem();
        }

        w.EndArray();
        w.EndBareObject();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task SwitchAsync(HttpContext ctx, PlexState state, string id, bool legacy)
    {
        var caller = state.AccountByToken(PmsHttp.Token(ctx.Request));
        if (caller is null || caller.Kind == SimAccountKind.Friend)
        {
            await ErrorAsync(ctx, 401, 1001, "User could not be authenticated");
            return;
        }

        var target = state.Accounts.FirstOrDefault(a => a.Kind != SimAccountKind.Friend
            && (a.Uuid == id || a.PlexTvId.ToString(CultureInfo.InvariantCulture) == id));
        if (target is null)
        {
            await ErrorAsync(ctx, 404, 1002, "User not found");
            return;
        }

        // PLEX-API.md 2.5 leaves the exact code for a wrong PIN unverified; 401 with code 1041 here.
        if (target.Pin is not null && PmsHttp.Query(ctx.Request, "pin") != target.Pin && !caller.Equals(target))
        {
            await ErrorAsync(ctx, 401, 1041, "Invalid PIN");
            return;
        }

        if (legacy)
        {
            ctx.Response.StatusCode = StatusCodes.Status201Created;
            ctx.Response.ContentType = "text/xml;charset=utf-8";
            var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<user id=\"{target.PlexTvId}\" uuid=\"{target.Uuid}\" title=\"{target.Name}\" username=\"{(target.IsManaged ? string.Empty : target.Name)}\" authenticationToken=\"{target.AccountToken}\" authToken=\"{target.AccountToken}\" home=\"1\" restricted=\"{(target.IsManaged ? 1 : 0)}\"/>\n";
            await ctx.Response.WriteAsync(xml, ctx.RequestAborted);
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status201Created;
        await using var w = new JsonPlexWriter(ctx.Response);
        w.StartBareObject();
        w.Num("id", target.PlexTvId);
        w.Str("uuid", target.Uuid);
        WriteNullable(w, "username", target.IsManaged ? null : target.Name);
        w.Str("title", target.Name);
        WriteNullable(w, "email", target.IsManaged ? null : target.Email);
        w.Str("friendlyName", target.Name);
        w.Str("thumb", target.Thumb);
        w.Bool("hasPassword", !target.IsManaged);
        w.Bool("restricted", target.IsManaged);
        w.Bool("protected", target.Pin is not null);
        w.Bool("home", true);
        w.Bool("homeAdmin", target.IsOwner);
        w.Bool("guest", false);
        w.Str("authToken", target.AccountToken);
        w.Num("joinedAt", 1_690_000_000);
        w.Num("homeSize", state.Accounts.Count(a => a.Kind != SimAccountKind.Friend));
        w.EndBareObject();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task<bool> OwnerXmlAuthAsync(HttpContext ctx, PlexState state)
    {
        var account = state.AccountByToken(PmsHttp.Token(ctx.Request));
        if (account is null || !account.IsOwner)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status401Unauthorized);
            return false;
        }

        return true;
    }

    /// <summary>v1 endpoints answer XML regardless of Accept (PLEX-API.md 1.1).</summary>
    private static async Task UsersV1Async(HttpContext ctx, PlexState state)
    {
        if (!await OwnerXmlAuthAsync(ctx, state))
        {
            return;
        }

        var others = state.Accounts.Where(a => !a.IsOwner).ToList();
        await using var w = new XmlPlexWriter(ctx.Response);
        w.StartContainer();
        w.Str("friendlyName", "myPlex");
        w.Str("identifier", "com.plexapp.plugins.myplex");
        w.Str("machineIdentifier", state.MachineIdentifier);
        w.Num("totalSize", others.Count);
        w.Num("size", others.Count);
        foreach (var a in others)
        {
            w.StartItem("User");
            w.Num("id", a.PlexTvId);
            w.Str("title", a.Name);
            w.Str("username", a.IsManaged ? string.Empty : a.Name);
            w.Str("email", a.Email);
            w.Str("recommendationsPlaylistId", string.Empty);
            w.Str("thumb", a.Thumb);
            w.Bool("protected", a.Pin is not null);
            w.Bool("home", a.Kind == SimAccountKind.Home);
            w.Bool("allowTuners", false);
            w.Bool("allowSync", false);
            w.Bool("allowCameraUpload", false);
            w.Bool("allowChannels", false);
            w.Bool("allowSubtitleAdmin", false);
            w.Str("filterAll", string.Empty);
            w.Str("filterMovies", string.Empty);
            w.Str("filterMusic", string.Empty);
            w.Str("filterPhotos", string.Empty);
            w.Str("filterTelevision", string.Empty);
            w.Bool("restricted", a.IsManaged);
            w.StartItem("Server");
            w.Num("id", 40_981_000 + a.PlexTvId % 1000);
            w.Num("serverId", 7_654_321);
            w.Str("machineIdentifier", state.MachineIdentifier);
            w.Str("name", state.Options.ServerName);
            w.Num("lastSeenAt", state.Now);
            w.Num("numLibraries", state.Sections.Count(s => state.CanSee(a, s.Id)));
            w.Bool("allLibraries", a.Kind == SimAccountKind.Home);
            w.Bool("owned", false);
            w.Bool("pending", false);
            w.EndItem();
            w.EndItem();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task SharedServersAsync(HttpContext ctx, PlexState state, string machineId)
    {
        if (!await OwnerXmlAuthAsync(ctx, state))
        {
            return;
        }

        if (machineId != state.MachineIdentifier)
        {
            await PmsHttp.HtmlErrorAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        var others = state.Accounts.Where(a => !a.IsOwner).ToList();
        await using var w = new XmlPlexWriter(ctx.Response);
        w.StartContainer();
        w.Str("friendlyName", "myPlex");
        w.Str("identifier", "com.plexapp.plugins.myplex");
        w.Str("machineIdentifier", state.MachineIdentifier);
        w.Num("size", others.Count);
        foreach (var a in others)
        {
            w.StartItem("SharedServer");
            w.Num("id", 40_981_000 + a.PlexTvId % 1000);
            w.Str("username", a.IsManaged ? string.Empty : a.Name);
            w.Str("email", a.Email);
            w.Num("userID", a.PlexTvId);
            w.Str("accessToken", a.ServerToken);
            w.Str("name", state.Options.ServerName);
            w.Num("acceptedAt", 1_690_500_000);
            w.Num("invitedAt", 1_690_400_000);
            w.Bool("allowSync", false);
            w.Bool("allowCameraUpload", false);
            w.Bool("allowChannels", false);
            w.Bool("allowTuners", false);
            w.Bool("allowSubtitleAdmin", false);
            w.Bool("owned", false);
            w.Bool("allLibraries", a.Kind == SimAccountKind.Home);
            w.Str("filterAll", string.Empty);
            w.Str("filterMovies", string.Empty);
            w.Str("filterMusic", string.Empty);
            w.Str("filterPhotos", string.Empty);
            w.Str("filterTelevision", string.Empty);
            foreach (var s in state.Sections.Where(s => state.CanSee(a, s.Id)))
            {
                w.StartItem("Section");
                w.Num("id", 90_112_230 + s.Id);
                w.Str("key", s.Id.ToString(CultureInfo.InvariantCulture));
                w.Str("title", s.Title);
                w.Str("type", s.Type);
                w.Bool("shared", true);
                w.EndItem();
            }

            w.EndItem();
        }

        w.EndContainer();
        await w.CompleteAsync(ctx.RequestAborted);
    }

    private static async Task WebhooksAsync(HttpContext ctx, PlexState state)
    {
        if (await V2AuthAsync(ctx, state) is not { } account)
        {
            return;
        }

        if (HttpMethods.IsPost(ctx.Request.Method))
        {
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            var urls = form["urls[]"].Concat(form["urls"]).Where(u => !string.IsNullOrEmpty(u)).Select(u => new Uri(u!));
            state.SetWebhooks(account, urls);
        }

        await ctx.Response.WriteAsJsonAsync(state.Webhooks(account).Select(u => new { url = u.ToString() }), ctx.RequestAborted);
    }
}

/// <summary>plex.tv PINs; approval happens through the control API (the user's browser in real life).</summary>
public sealed class PinStore
{
    private readonly ConcurrentDictionary<int, SimPin> _pins = new();
    private int _nextId = 564_964_750;

    public SimPin Create(string clientId, string product, bool strong, DateTimeOffset now, TimeSpan lifetime)
    {
        var id = Interlocked.Increment(ref _nextId);
        var alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var random = new Random(id);
        var code = new StringBuilder();
        for (var i = 0; i < (strong ? 25 : 4); i++)
        {
            code.Append(alphabet[random.Next(alphabet.Length)]);
        }

        var pin = new SimPin
        {
            Id = id,
            Code = strong ? code.ToString() : code.ToString().ToUpperInvariant(),
            ClientIdentifier = clientId,
            Product = product,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        _pins[id] = pin;
        return pin;
    }

    public SimPin? Get(int id) => _pins.TryGetValue(id, out var pin) ? pin : null;

    public SimPin? ByCode(string code) => _pins.Values.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.OrdinalIgnoreCase));

    public bool Approve(int id, SimAccount account)
    {
        if (!_pins.TryGetValue(id, out var pin))
        {
            return false;
        }

        pin.AuthToken = account.AccountToken;
        return true;
    }
}
