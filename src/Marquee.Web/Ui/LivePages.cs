using Marquee.Core.Connections;
using Marquee.Core.Providers;
using Marquee.Core.Sync;
using Marquee.Core.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Marquee.Web.Ui.Html;

namespace Marquee.Web.Ui;

/// <summary>The dashboard, live events (paged), webhook deliveries and unresolved items.</summary>
internal static class LivePages
{
    public const int PageSize = 100;

    private static readonly string[] Playing = [LiveEventType.Play, LiveEventType.PlaybackStarted, LiveEventType.Resume];
    private static readonly string[] Ended = [LiveEventType.Stop, LiveEventType.Scrobble];

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (HttpContext http, IRunStore runs, IInboxStore inbox, IConnectionStore connections, IIdentityStore identity, SessionReads sessionReads, TimeProvider clock, CancellationToken ct) =>
        {
            var recentRuns = await runs.ListPageAsync(10, null, ct);
            var events = await inbox.ListEventPageAsync(200, null, ct);
            var stored = await connections.ListAsync(ct);
            var unresolved = await identity.ListUnresolvedAsync(ct);
            var reads = await sessionReads.ReadAsync(stored, ct);
            var lastRun = recentRuns.Where(r => r.FlowId is not null).GroupBy(r => r.Flow).Select(g => g.First()).ToList();
            return Page.Render(http, "Dashboard", H($"""
                <div class="cards">
                <section class="card" aria-labelledby="now"><h2 id="now">Now playing</h2>{NowPlaying(reads, stored, events, clock.GetUtcNow())}</section>
                <section class="card" aria-labelledby="health"><h2 id="health">Connections</h2>
                {(stored.Count == 0 ? H($"<p>None yet. <a href=\"/connections\">Add a server</a>.</p>") : H($"<ul>{Join(stored, c => H($"<li><a href=\"/connections#c-{c.Id}\">{c.Name}</a> ({c.Kind}){Health(reads, lastRun, c)} {Page.Button(http, $"/connections/{c.Id}/test", "Test")}</li>"))}</ul>"))}</section>
                <section class="card" aria-labelledby="unres"><h2 id="unres">Unresolved</h2><p><a href="/unresolved">{unresolved.Count} items</a> could not be matched across servers.</p></section>
                </div>
                <h2>Recent runs</h2>
                {(recentRuns.Count == 0 ? H($"<p>No runs yet.</p>") : RunPages.Table(recentRuns))}
                <h2>Recent live events</h2>
                {EventTable(events.Take(10).ToList())}
                <p><a href="/events">All live events</a></p>
                """));
        });

        app.MapGet("/events", async (HttpContext http, IInboxStore inbox, long? before, CancellationToken ct) =>
        {
            var page = await inbox.ListEventPageAsync(PageSize, before, ct);
            return Page.Render(http, "Live events", H($"""
                <p>What Plex, Jellyfin and Emby reported (webhooks, event streams, session polling), newest first, and what Marquee did with it.</p>
                {EventTable(page)}
                {Page.Pager("/events", before, page.Count == PageSize ? page[^1].Id : null)}
                """));
        });

        app.MapGet("/deliveries", (HttpContext http, DeliveryHistory history) =>
        {
            var deliveries = history.Snapshot();
            return Page.Render(http, "Webhook deliveries", H($"""
                <p>The last {history.Capacity} webhooks received (the URLs to paste into your servers are printed by <code>marquee webhook-url</code>).</p>
                {(deliveries.Count == 0 ? H($"<p>No webhook received since the server started.</p>") : H($"""
                    <table><thead><tr><th scope="col">Delivery</th><th scope="col">From</th><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Answer</th><th scope="col">Inbox</th><th scope="col">Bytes</th></tr></thead>
                    <tbody>{Join(deliveries, d => H($"<tr><td>{d.Id}</td><td>{d.Source}</td><td>{Page.Time(d.ReceivedAt)}</td><td>{d.Event}</td><td>{d.Status}</td><td>{d.InboxStatus}{When(d.Error is not null, H($": {d.Error}"))}</td><td>{d.Bytes}</td></tr>"))}</tbody></table>
                    """))}
                """));
        });

        app.MapGet("/unresolved", async (HttpContext http, IIdentityStore identity, CancellationToken ct) =>
        {
            var items = await identity.ListUnresolvedAsync(ct);
            return Page.Render(http, "Unresolved items", H($"""
                <p>Items a run could not match to the same title on the other servers, with the reason. They are tried again at every run.</p>
                {(items.Count == 0 ? H($"<p>Nothing unresolved.</p>") : H($"""
                    <table><thead><tr><th scope="col">Connection</th><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Reason</th><th scope="col">First seen</th><th scope="col">Attempts</th></tr></thead>
                    <tbody>{Join(items, u => H($"<tr><td>{u.ConnectionName}</td><td>{u.Title ?? u.LocalKey}</td><td>{u.Kind}</td><td>{u.Reason}{When(u.Detail is not null, H($"<br><small>{u.Detail}</small>"))}</td><td>{Page.Time(u.FirstSeenAt)}</td><td>{u.Attempts}</td></tr>"))}</tbody></table>
                    """))}
                """));
        });
    }

    private static Html Health(Dictionary<long, SessionRead> reads, IReadOnlyList<SyncRun> lastRuns, StoredConnection connection)
    {
        var read = reads.GetValueOrDefault(connection.Id);
        var reach = read switch
        {
            { Problem: { } problem } => H($" <span class=\"status-failed\">unreachable: {problem}</span>"),
            not null => H($" <span class=\"status-ok\">answers</span>"),
            _ => Html.Empty,
        };
        return lastRuns.FirstOrDefault(r => r.Status == "failed" && r.Message?.Contains(connection.Name, StringComparison.OrdinalIgnoreCase) == true) is { } failed
            ? H($"{reach} <span class=\"status-failed\">last run failed: {failed.Message}</span>")
            : reach;
    }

    private static Html NowPlaying(Dictionary<long, SessionRead> reads, IReadOnlyList<StoredConnection> stored, IReadOnlyList<LiveEvent> events, DateTimeOffset now)
    {
        var names = stored.ToDictionary(c => c.Id, c => c.Name);
        var sessions = reads.Where(r => r.Value.Problem is null).SelectMany(r => r.Value.Sessions.Select(s => (Server: names[r.Key], Session: s))).ToList();

        // Servers that do not list their sessions (Jellyfin, Emby) are followed from their events: the newest event of
        // each account and item tells whether it still plays; older than four hours counts as ended.
        var listedKinds = stored.Where(c => reads.ContainsKey(c.Id)).Select(c => c.Kind).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var playing = events
            .Where(e => e.EventType is not null && !listedKinds.Contains(e.Source))
            .GroupBy(e => (e.Source, e.AccountId, e.LocalKey))
            .Select(g => g.First())
            .Where(e => Array.IndexOf(Playing, e.EventType) >= 0 && Array.IndexOf(Ended, e.EventType) < 0 && now - e.OccurredAt < TimeSpan.FromHours(4))
            .ToList();
        var unreachable = reads.Where(r => r.Value.Problem is not null).Select(r => names[r.Key]).ToList();
        return H($"""
            {(sessions.Count + playing.Count == 0 ? H($"<p>Nothing is playing.</p>") : H($"<ul>{Join(sessions, s => H($"<li>{s.Session.UserName ?? s.Session.UserId}: {s.Session.Title} on {s.Session.Player ?? s.Server} ({Playback(s.Session)}){Progress(s.Session)}</li>"))}{Join(playing, e => H($"<li>{e.AccountName ?? e.AccountId}: {Title(e)} on {e.Player ?? e.Source}</li>"))}</ul>"))}
            {When(unreachable.Count > 0, H($"<p class=\"help\">Not read now: {string.Join(", ", unreachable)}.</p>"))}
            """);
    }

    private static string Playback(PlaybackSession s) =>
        $"{s.State ?? "playing"}, {(s.VideoDecision == "transcode" || s.AudioDecision == "transcode" ? "transcode" : "direct play")}{(s.Remote ? ", remote" : string.Empty)}";

    private static string Progress(PlaybackSession s) =>
        s is { PositionMs: { } at, DurationMs: > 0 and var length } ? $", {Math.Clamp(at * 100 / length, 0, 100)} %" : string.Empty;

    private static string Title(LiveEvent e) =>
        e.ShowTitle is { } show ? $"{show} S{e.Season:00}E{e.Episode:00} {e.Title}" : e.Title ?? e.LocalKey;

    private static Html EventTable(IReadOnlyList<LiveEvent> events) =>
        events.Count == 0
            ? H($"<p>No live event yet.</p>")
            : H($"""
                <table><thead><tr><th scope="col">When</th><th scope="col">From</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Item</th><th scope="col">Outcome</th></tr></thead>
                <tbody>{Join(events, e => H($"<tr><td>{Page.Time(e.OccurredAt)}</td><td>{e.Source} ({e.Origin})</td><td>{e.AccountName ?? e.AccountId}</td><td>{e.EventType ?? e.Kind}{When(e.Value is not null, H($" {e.Value}"))}</td><td>{Title(e)}</td><td>{e.Outcome}</td></tr>"))}</tbody></table>
                """);
}

/// <summary>One server's sessions as the dashboard read them, or why they could not be read.</summary>
internal sealed record SessionRead(IReadOnlyList<PlaybackSession> Sessions, string? Problem);
